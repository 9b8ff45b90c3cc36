// Request bodies decoded the way dockerd decodes them: Go's encoding/json into typed structs. A value of
// the wrong JSON type is refused with Go's own sentence ("json: cannot unmarshal string into Go struct
// field HostConfig.HostConfig.Memory of type int64": the innermost struct, then the path of JSON keys
// from the top, then the Go type), so boxlab answers a broken client as Docker does. As in Go, `null`
// leaves a field unset, unknown keys are ignored and keys match case-insensitively when no exact key
// exists. A decoder returns the typed value the engine then uses; nothing below the API sees raw JSON.
import { invalidArgument } from '../../../core/errors.js';

/** where a value sits: the Go struct that holds it and the JSON keys from the top (Go's UnmarshalTypeError) */
export interface Where {
  struct?: string;
  path: string[];
}

export type Decoder<T> = (value: unknown, where: Where) => T;

const TOP: Where = { path: [] };

/** Go's name for the JSON kind it found ("number 1.5" when a number does not fit the integer type) */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'object' : typeof value;
}

export function typeError(found: string, goType: string, where: Where): Error {
  const into = where.struct ? `Go struct field ${where.struct}.${where.path.join('.')}` : 'Go value';
  return invalidArgument(`json: cannot unmarshal ${found} into ${into} of type ${goType}`, {
    suggestions: ['send the field with the type the Engine API v1.41 documents for it'],
  });
}

/** a string; Go's named string types (container.NetworkMode, mount.Type, ...) are named in its errors */
export function text<T extends string = string>(goType = 'string'): Decoder<T | undefined> {
  return (value, where) => {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'string') throw typeError(jsonKind(value), goType, where);
    return value as T;
  };
}

export const string = text();

export const bool: Decoder<boolean | undefined> = (value, where) => {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'boolean') throw typeError(jsonKind(value), 'bool', where);
  return value;
};

const INT_RANGES = {
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  int: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint32: [0, 2 ** 32 - 1],
  'os.FileMode': [0, 2 ** 32 - 1],
  uint16: [0, 65535],
  uint64: [0, Number.MAX_SAFE_INTEGER],
  'time.Duration': [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
} as const;

/** an integer of a Go type; JavaScript keeps 53 bits, so larger int64 values are refused rather than rounded */
export function integer(goType: keyof typeof INT_RANGES): Decoder<number | undefined> {
  const [min, max] = INT_RANGES[goType];
  return (value, where) => {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'number') throw typeError(jsonKind(value), goType, where);
    // Go quotes the literal: "number 1.5", "number 1e30" (JavaScript would print 1e+30)
    if (!Number.isInteger(value) || value < min || value > max) throw typeError(`number ${String(value).replace('e+', 'e')}`, goType, where);
    return value;
  };
}

export function list<T>(item: Decoder<T | undefined>, goType: string): Decoder<T[] | undefined> {
  return (value, where) => {
    if (value === null || value === undefined) return undefined;
    if (!Array.isArray(value)) throw typeError(jsonKind(value), goType, where);
    // Go names the field, not the index, when an element is wrong
    return value.map((v) => item(v, where) as T);
  };
}

export function map<T>(item: Decoder<T | undefined>, goType: string): Decoder<Record<string, T> | undefined> {
  return (value, where) => {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw typeError(jsonKind(value), goType, where);
    const out: Record<string, T> = {};
    for (const [k, v] of Object.entries(value)) out[k] = item(v, where) as T;
    return out;
  };
}

/** Docker's strslice.StrSlice (Cmd, Entrypoint): a list of strings, or one string meaning a list of one */
export const strSlice: Decoder<string[] | undefined> = (value, where) => {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  // StrSlice tries []string, then string: Go reports the second failure
  throw typeError(jsonKind(value), 'string', where);
};

/** a set such as ExposedPorts or Volumes (Go's map[string]struct{}): keys matter, values must be objects */
export function set(goType: string): Decoder<Record<string, object> | undefined> {
  return (value, where) => {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw typeError(jsonKind(value), goType, where);
    for (const v of Object.values(value)) {
      if (v !== null && (typeof v !== 'object' || Array.isArray(v))) throw typeError(jsonKind(v), 'struct {}', where);
    }
    return value as Record<string, object>;
  };
}

/** a value the engine passes through without reading it (it only has to be JSON) */
export const passThrough: Decoder<unknown> = (value) => (value === null ? undefined : value);

type Fields<T> = { [K in keyof T]-?: Decoder<T[K] | undefined> };

/**
 * A Go struct: `name` is what Go's errors call it ("HostConfig"), `goType` its full type for a value of
 * the wrong kind ("container.HostConfig"). Returns only the fields it knows, each decoded.
 */
export function struct<T extends object>(name: string, goType: string, fields: Fields<T>): Decoder<T | undefined> {
  return (value, where) => {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw typeError(jsonKind(value), goType, where);
    const input = value as Record<string, unknown>;
    const keys = Object.keys(input);
    const out: Record<string, unknown> = {};
    for (const [field, decode] of Object.entries(fields) as Array<[string, Decoder<unknown>]>) {
      // Go's rule: the exact key first, else any key equal ignoring case
      const key = field in input ? field : keys.find((k) => k.toLowerCase() === field.toLowerCase());
      if (key === undefined) continue;
      const decoded = decode(input[key], { struct: name, path: [...where.path, field] });
      if (decoded !== undefined) out[field] = decoded;
    }
    return out as T;
  };
}

/** decodes a whole body; `goType` names the top-level type in Go's message for a body of the wrong kind */
export function decodeBody<T>(body: unknown, decode: Decoder<T | undefined>, goType: string): T | undefined {
  if (body !== null && body !== undefined && (typeof body !== 'object' || Array.isArray(body))) throw typeError(jsonKind(body), goType, TOP);
  return decode(body, TOP);
}
