// Objects with a class's methods and accessors, made by a plain object literal: no runtime call per
// object and no `new`. V8 moves the objects of a literal whose objects survive straight to the old
// generation (its allocation-site pretenuring), which it does for no constructor call; but a
// literal with `__proto__` costs a call into the runtime per object (JSObject::SetPrototype: in
// the transit 1M cell ~50 ms, and ~60 ns an object against ~9 alone, bench/README.md route8). A
// plain literal's prototype is the Object.prototype of the context its code was compiled in, so
// the literal is compiled in a context of its own (node:vm), whose Object.prototype carries the
// class's members. That context runs no other code, and its Object.prototype is no one else's.

import { createContext, runInContext } from 'node:vm';

/** What protoLiteral gives: the maker, and the prototype of what it makes (to recognise them). */
export interface ProtoLiteral<F> {
  readonly make: F;
  readonly proto: object;
}

const NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A function making `{ names[0]: args[0], names[1]: args[1], ... }` from one object literal, whose
 * objects have as prototype an object with the accessors and methods of `cls`'s prototype chain
 * (the nearest definition of each; the rest of Object.prototype's members are the context's), and `cls`
 * as `constructor` (so that inspection names it). `instanceof cls` is false for them: compare the
 * prototype with `proto`.
 */
export function protoLiteral<F extends (...args: never[]) => object>(
  cls: { readonly prototype: object },
  names: readonly string[],
): ProtoLiteral<F> {
  for (const n of names) if (!NAME.test(n)) throw new Error(`protoLiteral: bad field name ${n}`);
  const context = createContext();
  const proto = runInContext('Object.prototype', context) as object;
  const objectProto = Object.prototype as object;
  const seen = new Set<string>(['constructor']);
  for (
    let p: object | null = cls.prototype;
    p !== null && p !== objectProto;
    p = Object.getPrototypeOf(p) as object | null
  ) {
    for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) {
      if (!seen.has(name)) Object.defineProperty(proto, name, d);
      seen.add(name);
    }
  }
  Object.defineProperty(proto, 'constructor', {
    value: cls,
    writable: true,
    enumerable: false,
    configurable: true,
  });
  const list = names.join(', ');
  const make = runInContext(`(${list}) => ({ ${list} })`, context) as F;
  return { make, proto };
}
