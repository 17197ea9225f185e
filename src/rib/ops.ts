// RIB operations as values: what a module that derives routes (the leak engine) wants done to the
// tables, handed to the propagation loop, which applies them with Rib.apply. Nobody but the loop
// writes into the RIB on another module's behalf (DESIGN.md "Propagation and change").

import type { Route } from '../model/route.js';
import type { FamilyName } from '../wire/afi.js';
import type { AttrInterner } from './intern.js';
import type { BestChanges } from './destination.js';

/** The path a drop removes: (src, pathId) at key. A put carries the route itself. */
export class PathDrop {
  constructor(
    readonly key: string,
    readonly src: number,
    readonly pathId: number,
  ) {}
}

/**
 * Consecutive operations on one table, in order: a Route is a put, a PathDrop a drop. Kept per
 * run rather than one record per operation: a load puts a million paths, and a wrapper object for
 * each, alive until its step is applied, makes the scavenger copy (and promote) the Destination
 * objects of the step with it.
 */
export interface OpRun {
  readonly view: string;
  readonly family: FamilyName;
  readonly items: (Route | PathDrop)[];
}

/** A view (a VRF's tables) to create; `candidates` narrows what its decision process sees. */
export interface ViewSpec {
  readonly view: string;
  readonly families: readonly FamilyName[];
  readonly candidates?: (paths: readonly Route[]) => readonly Route[];
}

/** The best-path changes one recompute made in one table. */
export interface ChangeBatch {
  readonly view: string;
  readonly family: FamilyName;
  readonly changes: BestChanges;
  /**
   * Destinations whose other paths changed under an unchanged best (tables an ADD-PATH sender
   * reads only, Table.trackPaths): the best-path readers have nothing to do for them.
   */
  readonly pathChanges?: readonly string[];
}

/**
 * An ordered list of operations (a drop and a put of the same path in one list apply in the order
 * they were made). A put takes its reference on the attribute set when it is recorded, not when it
 * is applied: between the two, the last route holding the set may be dropped, and the set would be
 * forgotten by the interner while a recorded put still carries it. So every list must be applied.
 */
export class RibOps {
  readonly views: ViewSpec[] = [];
  readonly runs: OpRun[] = [];
  private count = 0;

  constructor(private readonly interner: AttrInterner) {}

  /** Operations recorded (views included). */
  get size(): number {
    return this.count + this.views.length;
  }

  addView(spec: ViewSpec): void {
    this.views.push(spec);
  }

  put(view: string, family: FamilyName, route: Route): void {
    this.interner.ref(route.attrs);
    this.run(view, family).push(route);
  }

  drop(view: string, family: FamilyName, key: string, src: number, pathId = 0): void {
    this.run(view, family).push(new PathDrop(key, src, pathId));
  }

  private run(view: string, family: FamilyName): (Route | PathDrop)[] {
    this.count++;
    const last = this.runs[this.runs.length - 1];
    if (last && last.view === view && last.family === family) return last.items;
    const items: (Route | PathDrop)[] = [];
    this.runs.push({ view, family, items });
    return items;
  }
}
