// A dialog that fits the window: a title, a body that scrolls on its own, and actions that stay on screen below it
// (at 1280×720 too). Esc and a click outside close it.
import { useEffect, type ReactNode } from 'react';

export function Dialog(props: {
  title: string;
  onClose: () => void;
  actions: ReactNode;
  /** Shown above the actions, never scrolled away (a check's outcome). */
  status?: ReactNode;
  children: ReactNode;
  testId?: string;
  wide?: boolean;
}) {
  const { onClose } = props;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div
        className={`modal ${props.wide ? 'wide' : ''}`}
        role="dialog"
        aria-label={props.title}
        onClick={(e) => e.stopPropagation()}
        data-testid={props.testId}
      >
        <header className="modal-head">
          <h3>{props.title}</h3>
          <button className="banner-close" onClick={onClose} title="Close (Esc)" aria-label="Dismiss dialog">
            ×
          </button>
        </header>
        <div className="modal-body">{props.children}</div>
        {props.status}
        <footer className="modal-actions">{props.actions}</footer>
      </div>
    </div>
  );
}
