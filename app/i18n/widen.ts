/** A catalogue's shape with every string literal widened to string: the type other languages must match. */
export type Widen<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
