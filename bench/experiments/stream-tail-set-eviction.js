// WHAT-IF EXPERIMENT, NOT PRODUCT CODE. Preloaded into the api with
//   npm run bench:ingest -- --node-options "--require ./bench/experiments/stream-tail-set-eviction.js"
// it replaces StreamTail.remember (libs/spine/src/stream-tail.ts) at load time with a version
// that evicts the oldest remembered id in O(1) through the Set's insertion order, instead of
// `recentOrder.splice(0, 1)` on a 100,000-element array (an O(n) shift per event once 100,000
// events have passed). It only measures what the change suggested in docs/benchmarks.md buys;
// the product is not modified. Same capacity (100,000 ids), same semantics.
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
      this.recent.add(id);
      if (this.recent.size > CAPACITY) this.recent.delete(this.recent.values().next().value);
      return true;
    };
    process.emitWarning('bench experiment: StreamTail.remember replaced (Set insertion-order eviction)');
  }
  return exported;
};
