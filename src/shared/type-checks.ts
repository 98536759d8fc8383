/**
 * Checks that run only in `npm run typecheck`: `Assert<…>` fails to compile unless what it is
 * given is `true`. Used where two descriptions of one shape must not drift apart (an API schema
 * and the code that reads or writes it).
 */

export type Assert<T extends true> = T;

/** Every `A` is a `B`. */
export type Covers<A, B> = [A] extends [B] ? true : false;

/** `A` and `B` are the same shape: each covers the other. */
export type SameShape<A, B> = Covers<A, B> extends true ? Covers<B, A> : false;
