// WHAT-IF EXPERIMENT, NOT PRODUCT CODE. The product adopted the same change in commit 6aba8bc;
// this file is kept to reproduce the before/after on builds older than that (docs/benchmarks.md).
// Preloaded into the api (and worker) with
//   npm run bench:ingest -- "--node-options=--require ./bench/experiments/stream-tail-ring-buffer.js"
// it replaces StreamTail.remember (libs/spine/src/stream-tail.ts) at load time with a version
// that forgets the oldest remembered id through a fixed ring buffer (O(1) per event), instead
// of `recentOrder.splice(0, 1)` on a 100,000-element array (an O(n) shift for every event once
// 100,000 events have passed). Same capacity (100,000 ids), same answers. It only measures what
// the change suggested in docs/benchmarks.md buys; the product is not modified.
//
// (Evicting through the Set's own insertion order, `set.delete(set.values().next().value)`, is
// NOT O(1) in V8: deleted entries stay as holes at the front of the table until it is rehashed,
// and every values().next() walks over them. Measured: it still cost ~34 % of the api's CPU.)
'use strict';
const Module = process.getBuiltinModule('node:module');

const CAPACITY = 100_000;
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  const exported = originalLoad.call(this, request, parent, isMain);
  const StreamTail = exported && exported.StreamTail;
  if (typeof StreamTail === 'function' && !StreamTail.__benchPatched) {
    StreamTail.__benchPatched = true;
    StreamTail.prototype.remember = function remember(id) {
      if (this.recent.has(id)) return false;
      if (!this.benchRing) {
        this.benchRing = new Array(CAPACITY).fill(undefined);
        this.benchHead = 0;
      }
      const oldest = this.benchRing[this.benchHead];
      if (oldest !== undefined) this.recent.delete(oldest);
      this.benchRing[this.benchHead] = id;
      this.benchHead = (this.benchHead + 1) % CAPACITY;
      this.recent.add(id);
      return true;
    };
    process.emitWarning('bench experiment: StreamTail.remember replaced (ring buffer eviction)');
  }
  return exported;
};
