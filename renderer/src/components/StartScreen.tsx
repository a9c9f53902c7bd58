// What the viewer shows before anything is open: Open, the demo parts (one click to a real part) and the recent files.
import { useEffect, useState } from 'react';
import { getApi, isDesktop } from '../api';
import * as act from '../actions';
import { baseName } from '../job-facts';

export function StartScreen({ onOpen }: { onOpen: () => void }) {
  const [demos, setDemos] = useState<{ path: string; name: string; description: string }[]>([]);
  const [recent, setRecent] = useState<string[]>([]);
  useEffect(() => {
    getApi()
      .demoParts()
      .then(setDemos, () => undefined);
    getApi()
      .recentFiles()
      .then(setRecent, () => undefined);
  }, []);
  return (
    <div className="start-screen" data-testid="start-screen">
      <div className="start-head">
        <button className="primary big" onClick={onOpen} data-testid="start-open">
          Open a part…
        </button>
        <span className="muted">
          STEP, IGES, BREP or STL{isDesktop() ? '' : ' — or drop files on the window'} (Ctrl+O)
        </span>
      </div>
      <div className="start-cols">
        <section>
          <h4>Demo parts</h4>
          {!demos.length && <div className="muted small">No demo parts in this installation.</div>}
          <ul className="start-list" data-testid="demo-parts">
            {demos.map((d) => (
              <li key={d.path}>
                <button className="link" onClick={() => void act.openPath(d.path)} data-testid={`demo-${d.name}`}>
                  {d.name}
                </button>
                <div className="muted small">{d.description}</div>
              </li>
            ))}
          </ul>
        </section>
        <section>
          <h4>Recent files</h4>
          {!recent.length && <div className="muted small">Parts you open are listed here.</div>}
          <ul className="start-list" data-testid="recent-files">
            {recent.slice(0, 8).map((r) => (
              <li key={r} title={r}>
                <button className="link ellipsis" onClick={() => void act.openPath(r)}>
                  {baseName(r)}
                </button>
                <div className="muted small ellipsis">{r.slice(0, r.length - baseName(r).length)}</div>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
