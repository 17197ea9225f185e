// Source ids: every path in a table carries the id of what put it there, so that a source can
// replace and withdraw its own paths and nobody else's. Each owner has its own range.

/** Peers are numbered from 1 as the daemon configures them, below API_SRC. */
export const FIRST_PEER_SRC = 1;
/** Routes originated at run time through the API or the library (Daemon.originate). */
export const API_SRC = 800_000;
/** Routes replayed from MRT files (daemon/replay.ts): one source per target, from here upward. */
export const REPLAY_SRC = 850_000;
/** The default-table networks of the configuration. */
export const NETWORK_SRC = 900_000;
/** The route target membership routes of the VRFs' import RTs (RFC 4684, daemon/rtc.ts). */
export const RTC_SRC = 950_000;
/** The leak engine allocates its sources (per VRF and direction) from here upward. */
export const ENGINE_SRC_BASE = 1_000_000;

/** Whether a path was put in its table by the leak engine (an import, export or leak). */
export function isEngineSrc(src: number): boolean {
  return src >= ENGINE_SRC_BASE;
}

/** Whether a path came from a BGP peer. */
export function isPeerSrc(src: number): boolean {
  return src >= FIRST_PEER_SRC && src < API_SRC;
}
