// The current part: its name (ellipsised, the full path on hover), format, bytes, volumes and faces, its size and
// bounding box in millimetres, its bodies (and which touch), and the other opened parts. Compact, so the mesh
// settings below it stay on screen at 1280×720.
import { useStore } from '../store';
import * as act from '../actions';
import { fmtBytes } from './TimingsPanel';
import { fmtCount, fmtNum } from '../format';
import { baseName } from '../job-facts';
import { PART_UNIT as unit } from '../units';

export function PartPanel() {
  const parts = useStore((s) => s.parts);
  const current = useStore((s) => s.currentPart);
  const selectPart = useStore((s) => s.selectPart);
  const p = parts.find((x) => x.path === current);
  const pv = p?.preview;
  const size = pv ? pv.bbox.max.map((v, i) => v - pv.bbox.min[i]) : null;
  // Coordinates a billionth of the part's size are rounding noise (a -1.776e-15 is a 0).
  const scale = size ? Math.max(...size) : 0;
  return (
    <section className="card">
      <h4>Part</h4>
      {!p && <div className="empty small">Nothing open yet: open a part or a demo part in the viewer.</div>}
      {p && (
        <div data-testid="part-info">
          <div className="strong ellipsis" title={p.path} data-testid="part-name">
            {baseName(p.path)}
          </div>
          {p.loading && <progress />}
          {p.error && <div className="error-text">{p.error}</div>}
          {pv && act.isOpenShell(pv) && (
            <div className="warn-box" data-testid="part-warning">
              <strong>No solid.</strong> This part holds {pv.surfaces} surface{pv.surfaces === 1 ? '' : 's'} but no
              closed volume, so there is nothing to fill with tetrahedra and Run is off. Sew the faces into a solid in
              your CAD tool (or export the solid body, not its faces) and open it again.
            </div>
          )}
          {pv && (
            <>
              <div
                className="small muted ellipsis"
                title={`${pv.format.toUpperCase()}, ${fmtBytes(pv.bytes)}; preview: ${fmtCount(pv.indices.length / 3)} triangles in ${pv.ms} ms`}
              >
                {pv.format.split('-')[0].toUpperCase()} · {fmtBytes(pv.bytes)} ·{' '}
                <span data-testid="part-volumes">{pv.volumes}</span> volume{pv.volumes === 1 ? '' : 's'} ·{' '}
                <span data-testid="part-surfaces">{pv.surfaces}</span> faces
              </div>
              <div
                className="ellipsis"
                title={`Bounding box (${pv.bbox.min.map((v) => fmtNum(v, 4, scale)).join(', ')}) → (${pv.bbox.max
                  .map((v) => fmtNum(v, 4, scale))
                  .join(', ')}) ${unit}${unitNote(pv.format)}`}
              >
                <span className="muted">Size </span>
                <span data-testid="part-size">
                  {size!.map((v) => fmtNum(v, 4, scale)).join(' × ')} {unit}
                </span>{' '}
                <span className="muted small" data-testid="part-bbox">
                  from ({pv.bbox.min.map((v) => fmtNum(v, 3, scale)).join(', ')})
                </span>
              </div>
              {pv.bodies && pv.bodies.length > 1 && (
                <details className="small">
                  <summary data-testid="part-bodies-summary">
                    {pv.bodies.length} bodies,{' '}
                    {pv.bodies.some((b) => b.touches.length) ? 'touching ones joined' : 'none touching'}
                  </summary>
                  <ul className="bodies" data-testid="part-bodies">
                    {pv.bodies.map((b) => (
                      <li key={b.tag} data-testid={`body-${b.tag}`}>
                        Body_{b.tag}: {b.faces.length} faces,{' '}
                        {b.touches.length
                          ? `touches ${b.touches.map((t) => `Body_${t}`).join(', ')}`
                          : 'touches no other body'}
                      </li>
                    ))}
                  </ul>
                  <div>
                    {pv.bodies.some((b) => b.touches.length)
                      ? 'Touching bodies are joined into one conformal mesh (see Sizes: join touching bodies).'
                      : 'No two bodies touch: each is meshed on its own.'}
                  </div>
                </details>
              )}
            </>
          )}
        </div>
      )}
      {parts.length > 1 && (
        <label className="open-parts small" title="The parts opened in this session: choose one to make it current">
          <span className="muted">Open parts</span>
          <select value={current ?? ''} onChange={(e) => selectPart(e.target.value)} data-testid="open-parts">
            {parts.map((x) => (
              <option key={x.path} value={x.path} title={x.path}>
                {baseName(x.path)}
                {x.error ? ' ⚠' : ''}
              </option>
            ))}
          </select>
        </label>
      )}
    </section>
  );
}

const unitNote = (format: string) =>
  format.startsWith('stl') ? ' (STL carries no unit: millimetres assumed)' : ' (as OpenCASCADE reads the file)';
