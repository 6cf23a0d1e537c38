import { DecodeError } from '../primitives/decode-error.js';
import type { Reader } from '../primitives/reader.js';
import { ZERO_UUID } from '../primitives/uuid.js';
import { sizeOfUnsignedVarint } from '../primitives/varint.js';
import type { Writer } from '../primitives/writer.js';
import type { AnyField, PrimitiveType, RawTaggedField } from './fields.js';
import { inRange } from './versions.js';

/**
 * Compiles the fields of one message at one version into three straight-line functions, generated as
 * JavaScript source once and then run by V8 like hand-written code: no version checks, no field loops,
 * and decoded objects of one struct always have the same shape (every field of every version, in
 * declaration order, then `_unknownTaggedFields`), which keeps property access monomorphic.
 *
 *  - `read(r)`   decodes a value; fields absent from this version take their defaults.
 *  - `size(v)`   the encoded length of `v`; the first pass of encoding.
 *  - `write(w,v)` writes `v`; the second pass, into a buffer of exactly `size(v)` bytes.
 *
 * Encoding accepts objects with fields left out (undefined): they are written as their defaults.
 * Tagged fields are written only when they differ from their default, in tag order, with unknown
 * tagged fields from a decoded value merged back in by tag.
 */
export interface Codec<T = unknown, I = T> {
  read(r: Reader): T;
  size(v: I): number;
  write(w: Writer, v: I): void;
}

interface Runtime {
  DecodeError: typeof DecodeError;
  uv: typeof sizeOfUnsignedVarint;
  bl: (s: string) => number;
  EMPTY: Buffer;
  ZERO_UUID: string;
  writeUnknown: (w: Writer, t: RawTaggedField) => void;
  sizeUnknown: (t: RawTaggedField) => number;
}

const runtime: Runtime = {
  DecodeError,
  uv: sizeOfUnsignedVarint,
  bl: (s) => Buffer.byteLength(s),
  EMPTY: Buffer.alloc(0),
  ZERO_UUID,
  writeUnknown(w, t) {
    w.writeUnsignedVarint(t.tag);
    w.writeUnsignedVarint(t.data.length);
    w.writeRaw(t.data);
  },
  sizeUnknown: (t) => sizeOfUnsignedVarint(t.tag) + sizeOfUnsignedVarint(t.data.length) + t.data.length,
};

const FIXED_SIZE: Partial<Record<PrimitiveType, number>> = {
  bool: 1,
  int8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  float64: 8,
  uuid: 16,
};

const METHOD: Record<PrimitiveType, string> = {
  bool: 'Bool',
  int8: 'Int8',
  int16: 'Int16',
  uint16: 'Uint16',
  int32: 'Int32',
  uint32: 'Uint32',
  int64: 'Int64',
  float64: 'Float64',
  uuid: 'Uuid',
  string: 'String',
  bytes: 'Bytes',
  records: 'Bytes',
};

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

interface Mode {
  readonly compact: boolean;
  readonly nullable: boolean;
}

class Generator {
  private readonly ids = new Map<readonly AnyField[], number>();
  private readonly out: string[] = [];

  constructor(
    private readonly version: number,
    private readonly flexible: boolean,
  ) {}

  source(root: readonly AnyField[]): string {
    const id = this.struct(root);
    return `${this.out.join('\n')}\nreturn { read: read_${id}, size: size_${id}, write: write_${id} };`;
  }

  /** Emits the five functions of a struct once, returning its id. */
  private struct(fields: readonly AnyField[]): number {
    const known = this.ids.get(fields);
    if (known !== undefined) return known;
    const id = this.ids.size;
    this.ids.set(fields, id);
    for (const f of fields) {
      if (!IDENT.test(f.name)) throw new Error(`field name "${f.name}" is not an identifier`);
      if (f.fields) this.struct(f.fields);
    }
    this.out.push(this.genDefault(id, fields), this.genIsDefault(id, fields));
    this.out.push(this.genRead(id, fields), this.genSize(id, fields), this.genWrite(id, fields));
    return id;
  }

  private present(f: AnyField): boolean {
    return inRange(f.versions, this.version);
  }

  private tagged(f: AnyField): boolean {
    return this.flexible && this.present(f) && inRange(f.taggedVersions, this.version);
  }

  private mode(f: AnyField): Mode {
    const compact = f.flexibleVersions ? inRange(f.flexibleVersions, this.version) : this.flexible;
    return { compact, nullable: inRange(f.nullableVersions, this.version) };
  }

  private taggedFields(fields: readonly AnyField[]): AnyField[] {
    const tagged = fields.filter((f) => this.tagged(f)).sort((a, b) => a.tag - b.tag);
    for (let i = 1; i < tagged.length; i++) {
      if (tagged[i]!.tag === tagged[i - 1]!.tag) throw new Error(`duplicate tag ${tagged[i]!.tag}`);
    }
    return tagged;
  }

  private defaultExpr(f: AnyField): string {
    if (f.defaultValue !== undefined) {
      if (f.defaultValue === null) return 'null';
      if (Array.isArray(f.defaultValue) && f.defaultValue.length === 0) return '[]';
      return JSON.stringify(f.defaultValue);
    }
    if (f.kind === 'array') return '[]';
    if (f.kind === 'struct') return `def_${this.ids.get(f.fields!)}()`;
    switch (f.type) {
      case 'bool':
        return 'false';
      case 'string':
        return "''";
      case 'uuid':
        return 'R.ZERO_UUID';
      case 'bytes':
        return 'R.EMPTY';
      case 'records':
        return 'null';
      default:
        return '0';
    }
  }

  private genDefault(id: number, fields: readonly AnyField[]): string {
    const props = fields.map((f) => `${f.name}: ${this.defaultExpr(f)}`);
    props.push('_unknownTaggedFields: null');
    return `function def_${id}() { return { ${props.join(', ')} }; }`;
  }

  /** Whether a value equals its default: decides whether a tagged field is written at all. */
  private isDefaultExpr(f: AnyField, x: string): string {
    if (f.kind === 'struct') {
      return f.defaultValue === null ? `${x} === null` : `isdef_${this.ids.get(f.fields!)}(${x})`;
    }
    if (f.kind === 'array') return f.defaultValue === null ? `${x} === null` : `${x} !== null && ${x}.length === 0`;
    if (f.type === 'bytes' && f.defaultValue === undefined) return `${x} !== null && ${x}.length === 0`;
    return `${x} === ${this.defaultExpr(f)}`;
  }

  private genIsDefault(id: number, fields: readonly AnyField[]): string {
    const checks = fields
      .filter((f) => this.present(f))
      .map((f) => `(v.${f.name} === undefined || ${this.isDefaultExpr(f, `v.${f.name}`)})`);
    checks.push('(v._unknownTaggedFields == null || v._unknownTaggedFields.length === 0)');
    return `function isdef_${id}(v) { return ${checks.join(' && ')}; }`;
  }

  // ---- read ----

  private readPrimitive(type: PrimitiveType, m: Mode): string {
    const base = METHOD[type];
    if (FIXED_SIZE[type] !== undefined) return `r.read${base}()`;
    const prefix = m.compact ? 'Compact' : '';
    return `r.read${prefix}${m.nullable ? 'Nullable' : ''}${base}()`;
  }

  private readExpr(f: AnyField, target: string): string {
    const m = this.mode(f);
    if (f.kind === 'primitive') return `${target} = ${this.readPrimitive(f.type!, m)};`;
    if (f.kind === 'struct') {
      const call = `read_${this.ids.get(f.fields!)}(r)`;
      return m.nullable ? `${target} = r.readInt8() < 0 ? null : ${call};` : `${target} = ${call};`;
    }
    const elem = f.fields
      ? `read_${this.ids.get(f.fields)}(r)`
      : this.readPrimitive(f.type!, { compact: m.compact, nullable: false });
    const len = m.compact ? 'r.readCompactArrayLength()' : 'r.readArrayLength()';
    const onNull = m.nullable
      ? `${target} = null;`
      : `throw new R.DecodeError('NEGATIVE_LENGTH', 'non-nullable array ${f.name} is null');`;
    return `{ const n = ${len}; if (n < 0) { ${onNull} } else { const a = []; for (let i = 0; i < n; i++) a.push(${elem}); ${target} = a; } }`;
  }

  private genRead(id: number, fields: readonly AnyField[]): string {
    const lines: string[] = [];
    fields.forEach((f, i) => {
      if (this.present(f) && !this.tagged(f)) lines.push(`let f${i}; ${this.readExpr(f, `f${i}`)}`);
      else lines.push(`let f${i} = ${this.defaultExpr(f)};`);
    });
    lines.push('let unknown = null;');
    if (this.flexible) {
      const cases = this.taggedFields(fields).map((f) => {
        const i = fields.indexOf(f);
        return `case ${f.tag}: ${this.readExpr(f, `f${i}`)} break;`;
      });
      lines.push(
        'for (let t = 0, count = r.readUnsignedVarint(), last = -1; t < count; t++) {',
        '  const tag = r.readUnsignedVarint();',
        "  if (tag <= last) throw new R.DecodeError('TAG_ORDER', 'tag ' + tag + ' after ' + last);",
        '  last = tag;',
        '  const size = r.readUnsignedVarint();',
        "  if (size > r.remaining) throw new R.DecodeError('LENGTH_EXCEEDS_INPUT', 'tagged field of ' + size + ' bytes');",
        '  const end = r.pos + size;',
        '  switch (tag) {',
        ...cases.map((c) => `    ${c}`),
        '    default: (unknown ??= []).push({ tag, data: r.readRaw(size) });',
        '  }',
        "  if (r.pos !== end) throw new R.DecodeError('TAG_SIZE_MISMATCH', 'tag ' + tag + ' declared ' + size + ' bytes');",
        '}',
      );
    }
    const props = fields.map((f, i) => `${f.name}: f${i}`);
    props.push('_unknownTaggedFields: unknown');
    lines.push(`return { ${props.join(', ')} };`);
    return `function read_${id}(r) {\n${lines.join('\n')}\n}`;
  }

  // ---- size ----

  private sizePrimitive(type: PrimitiveType, m: Mode, x: string): string {
    const fixed = FIXED_SIZE[type];
    if (fixed !== undefined) return `${fixed}`;
    const len = type === 'string' ? `R.bl(${x})` : `${x}.byteLength`;
    const body = m.compact ? `((n) => R.uv(n + 1) + n)(${len})` : `${type === 'string' ? 2 : 4} + ${len}`;
    return m.nullable ? `(${x} === null ? ${m.compact ? 1 : type === 'string' ? 2 : 4} : ${body})` : body;
  }

  /** An expression for the encoded size of value `x` of field `f` (without any tag prefix). */
  private sizeExpr(f: AnyField, x: string): string {
    const m = this.mode(f);
    if (f.kind === 'primitive') return this.sizePrimitive(f.type!, m, x);
    if (f.kind === 'struct') {
      const call = `size_${this.ids.get(f.fields!)}(${x})`;
      return m.nullable ? `(${x} === null ? 1 : 1 + ${call})` : call;
    }
    const prefix = m.compact ? `R.uv(${x}.length + 1)` : '4';
    const fixed = f.type ? FIXED_SIZE[f.type] : undefined;
    let elems: string;
    if (fixed !== undefined) elems = `${x}.length * ${fixed}`;
    else {
      const one = f.fields
        ? `size_${this.ids.get(f.fields)}(e)`
        : this.sizePrimitive(f.type!, { compact: m.compact, nullable: false }, 'e');
      elems = `((a) => { let s = 0; for (const e of a) s += ${one}; return s; })(${x})`;
    }
    const body = `${prefix} + ${elems}`;
    return m.nullable ? `(${x} === null ? ${m.compact ? 1 : 4} : ${body})` : body;
  }

  private valueExpr(f: AnyField, i: number): string {
    return `const x${i} = v.${f.name} === undefined ? ${this.defaultExpr(f)} : v.${f.name};`;
  }

  private genSize(id: number, fields: readonly AnyField[]): string {
    const lines: string[] = ['let s = 0;'];
    fields.forEach((f, i) => {
      if (!this.present(f) || this.tagged(f)) return;
      const fixed = f.kind === 'primitive' ? FIXED_SIZE[f.type!] : undefined;
      if (fixed !== undefined) lines.push(`s += ${fixed};`);
      else lines.push(`{ ${this.valueExpr(f, i)} s += ${this.sizeExpr(f, `x${i}`)}; }`);
    });
    if (this.flexible) {
      lines.push('let count = 0;');
      this.taggedFields(fields).forEach((f) => {
        const i = fields.indexOf(f);
        lines.push(
          `{ ${this.valueExpr(f, i)} if (!(${this.isDefaultExpr(f, `x${i}`)})) { const z = ${this.sizeExpr(f, `x${i}`)}; s += R.uv(${f.tag}) + R.uv(z) + z; count++; } }`,
        );
      });
      lines.push(
        'const u = v._unknownTaggedFields;',
        'if (u) for (const t of u) { s += R.sizeUnknown(t); count++; }',
        's += R.uv(count);',
      );
    }
    lines.push('return s;');
    return `function size_${id}(v) {\n${lines.join('\n')}\n}`;
  }

  // ---- write ----

  private writePrimitive(type: PrimitiveType, m: Mode, x: string): string {
    if (type === 'records') return `w.writeRecords(${x}, ${m.compact});`;
    const base = METHOD[type];
    if (FIXED_SIZE[type] !== undefined) return `w.write${base}(${x});`;
    return `w.write${m.compact ? 'Compact' : ''}${m.nullable ? 'Nullable' : ''}${base}(${x});`;
  }

  private writeStmt(f: AnyField, x: string): string {
    const m = this.mode(f);
    if (f.kind === 'primitive') return this.writePrimitive(f.type!, m, x);
    if (f.kind === 'struct') {
      const call = `write_${this.ids.get(f.fields!)}(w, ${x});`;
      return m.nullable ? `if (${x} === null) w.writeInt8(-1); else { w.writeInt8(1); ${call} }` : call;
    }
    const len = m.compact ? `w.writeUnsignedVarint(${x}.length + 1);` : `w.writeInt32(${x}.length);`;
    const one = f.fields
      ? `write_${this.ids.get(f.fields)}(w, e);`
      : this.writePrimitive(f.type!, { compact: m.compact, nullable: false }, 'e');
    const body = `${len} for (const e of ${x}) ${one}`;
    if (!m.nullable) return body;
    return `if (${x} === null) ${m.compact ? 'w.writeUnsignedVarint(0);' : 'w.writeInt32(-1);'} else { ${body} }`;
  }

  private genWrite(id: number, fields: readonly AnyField[]): string {
    const lines: string[] = [];
    fields.forEach((f, i) => {
      if (!this.present(f) || this.tagged(f)) return;
      lines.push(`{ ${this.valueExpr(f, i)} ${this.writeStmt(f, `x${i}`)} }`);
    });
    if (this.flexible) {
      const tagged = this.taggedFields(fields);
      lines.push('const u = v._unknownTaggedFields; let ui = 0; let count = u ? u.length : 0;');
      tagged.forEach((f) => {
        const i = fields.indexOf(f);
        lines.push(`${this.valueExpr(f, i)} const w${i} = !(${this.isDefaultExpr(f, `x${i}`)}); if (w${i}) count++;`);
      });
      lines.push('w.writeUnsignedVarint(count);');
      tagged.forEach((f) => {
        const i = fields.indexOf(f);
        lines.push(
          `if (u) while (ui < u.length && u[ui].tag < ${f.tag}) R.writeUnknown(w, u[ui++]);`,
          `if (w${i}) { w.writeUnsignedVarint(${f.tag}); w.writeUnsignedVarint(${this.sizeExpr(f, `x${i}`)}); ${this.writeStmt(f, `x${i}`)} }`,
        );
      });
      lines.push('if (u) while (ui < u.length) R.writeUnknown(w, u[ui++]);');
    }
    return `function write_${id}(w, v) {\n${lines.join('\n')}\n}`;
  }
}

/** Generates the codec source; exposed for tests and for reading what the compiler emits. */
export function codecSource(fields: readonly AnyField[], version: number, flexible: boolean): string {
  return new Generator(version, flexible).source(fields);
}

export function compileCodec<T, I = T>(fields: readonly AnyField[], version: number, flexible: boolean): Codec<T, I> {
  const make = new Function('R', codecSource(fields, version, flexible)) as (r: Runtime) => Codec<T, I>;
  return make(runtime);
}
