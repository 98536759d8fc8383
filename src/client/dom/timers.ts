import type { Timers } from "../live/live-socket";

export const browserTimers: Timers = {
  set: (fn, ms) => window.setTimeout(fn, ms),
  every: (fn, ms) => window.setInterval(fn, ms),
  clear: (id) => {
    // Timeouts and intervals share one id pool in browsers; clearing both is safe.
    window.clearTimeout(id);
    window.clearInterval(id);
  },
};
