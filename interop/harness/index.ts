// The interop harness: start real peers on loopback, drive them, poll them, tear them down.

export * from './addresses.js';
export * from './bird.js';
export * from './exabgp.js';
export * from './family.js';
export * from './frr.js';
export * from './gobgp.js';
export * from './peers.js';
export * from './procs.js';
export * from './scenario.js';
export * from './wait.js';
