// One event batching for every shell that forwards engine events to a UI (Electron IPC, the harness WebSocket).
import type { WorkbenchEvent } from '../contract/api';

/** Coalesces engine events and flushes them every `ms` to `send`, in order (Gmsh can print thousands of lines a second). */
export function eventBatcher(send: (events: WorkbenchEvent[]) => void, ms = 50) {
  let pending: WorkbenchEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    if (!pending.length) return;
    const out = pending;
    pending = [];
    send(out);
  };
  return {
    push(events: WorkbenchEvent[]) {
      pending.push(...events);
      if (!timer) timer = setTimeout(flush, ms);
    },
    flush,
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      pending = [];
    },
  };
}
