// The current part: name, format, size, bounding box, volumes, bodies (and which touch) and surfaces; the other
// opened parts; recent files.
import { useEffect, useState } from 'react';
import { getApi, isDesktop } from '../api';
import * as act from '../actions';
import { useStore } from '../store';
import { fmtBytes } from './TimingsPanel';
import { fmtCount, fmtNum } from '../format';

export function PartPanel() {
  const parts = useStore((s) => s.parts);
  const current = useStore((s) => s.currentPart);
  const selectPart = useStore((s) => s.selectPart);
  const [recent, setRecent] = useState<string[]>([]);
  useEffect(() => {
    getApi()
      .recentFiles()
      .then(setRecent, () => undefined);
  }, [parts.length]);
  const p = parts.find((x) => x.path === current);
  const pv = p?.preview;
  const size = pv ? pv.bbox.max.map((v, i) => v - pv.bbox.min[i]) : null;
  // Coordinates a billionth of the part's size are rounding noise (a -1.776e-15 is a 0).
  const scale = size ? Math.max(...size) : 0;
  return (
    <section className="card">
      <h4>Part</h4>
      {!p && (
        <div className="empty small">
          Open a STEP, IGES, BREP or STL part{isDesktop() ? '' : ' (Open…, or drop files on the window)'}.
        </div>
      )}
      {p && (
        <div data-testid="part-info">
          <div className="strong" title={p.path}>
            {p.path.split(/[\\/]/).pop()}
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
            <table className="kv">
              <tbody>
                <tr>
                  <td>Format</td>
                  <td>
                    {pv.format.toUpperCase()} · {fmtBytes(pv.bytes)}
                  </td>
                </tr>
                <tr>
                  <td>Size</td>
                  <td data-testid="part-size">{size!.map((v) => fmtNum(v, 4, scale)).join(' × ')}</td>
                </tr>
                <tr>
                  <td>Bbox</td>
                  <td data-testid="part-bbox">
                    ({pv.bbox.min.map((v) => fmtNum(v, 4, scale)).join(', ')}) → (
                    {pv.bbox.max.map((v) => fmtNum(v, 4, scale)).join(', ')})
                  </td>
                </tr>
                <tr title={`Preview: ${fmtCount(pv.indices.length / 3)} triangles in ${pv.ms} ms`}>
                  <td>Solids</td>
                  <td>
                    <span data-testid="part-volumes">{pv.volumes}</span> volume{pv.volumes === 1 ? '' : 's'} ·{' '}
                    <span data-testid="part-surfaces">{pv.surfaces}</span> surfaces
                  </td>
                </tr>
                {pv.bodies && pv.bodies.length > 1 && (
                  <tr>
                    <td>Bodies</td>
                    <td>
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
                      <div className="small">
                        {pv.bodies.some((b) => b.touches.length)
                          ? 'Touching bodies are joined into one conformal mesh (see Sizes: join touching bodies).'
                          : 'No two bodies touch: each is meshed on its own.'}
                      </div>
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          )}
        </div>
      )}
      {parts.length > 1 && (
        <ul className="list" data-testid="open-parts">
          {parts.map((x) => (
            <li key={x.path} className={x.path === current ? 'active' : ''} onClick={() => selectPart(x.path)}>
              {x.path.split(/[\\/]/).pop()}
              {x.error ? ' ⚠' : ''}
            </li>
          ))}
        </ul>
      )}
      {recent.length > 0 && (
        <details>
          <summary>Recent files</summary>
          <ul className="list" data-testid="recent-files">
            {recent.slice(0, 10).map((r) => (
              <li key={r} title={r} onClick={() => act.openPath(r)}>
                {r.split(/[\\/]/).pop()}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
