// Lexical layer of the OpenDSS reader: comment stripping, quoted/bracketed groups, name=value pairs, in-line RPN.
// Kept apart from the command interpreter so its rules (which OpenDSS documents loosely) are testable on their own.

export interface DssParam {
  name: string; // lower-case property name, '' for a positional value
  value: string; // raw text, brackets removed
}

const CLOSERS: Record<string, string> = { '"': '"', "'": "'", '(': ')', '[': ']', '{': '}' };

/** Removes `!` and `//` comments outside quotes and brackets. */
export function stripComment(line: string): string {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (ch === '!' || (ch === '/' && line[i + 1] === '/'))) return line.slice(0, i);
  }
  return line;
}

interface Tok {
  text: string;
  kind: 'word' | 'eq' | 'group';
}

function lex(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (ch === ' ' || ch === '\t' || ch === ',' || ch === '\r') {
      i++;
    } else if (ch === '=') {
      out.push({ text: '=', kind: 'eq' });
      i++;
    } else if (CLOSERS[ch]) {
      const close = CLOSERS[ch];
      let j = i + 1;
      let depth = 1;
      while (j < s.length) {
        if (s[j] === close && (close === ch || --depth === 0)) break;
        if (s[j] === ch && close !== ch) depth++;
        j++;
      }
      out.push({ text: s.slice(i + 1, j), kind: 'group' });
      if (ch === '(') out[out.length - 1].text = `(${out[out.length - 1].text})`; // keep parens: RPN marker
      i = j + 1;
    } else {
      let j = i;
      while (j < s.length && !' \t=,\r'.includes(s[j])) j++;
      out.push({ text: s.slice(i, j), kind: 'word' });
      i = j;
    }
  }
  return out;
}

/** Splits a command body into parameters: `name=value` pairs and positional values, in order. */
export function parseParams(s: string): DssParam[] {
  const toks = lex(s);
  const out: DssParam[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind === 'eq') continue;
    if (toks[i + 1]?.kind === 'eq' && t.kind === 'word') {
      const v = toks[i + 2];
      out.push({ name: t.text.toLowerCase(), value: v && v.kind !== 'eq' ? v.text : '' });
      i += v && v.kind !== 'eq' ? 2 : 1;
    } else out.push({ name: '', value: t.text });
  }
  return out;
}

/** Evaluates OpenDSS in-line RPN such as `(0.00625 7 * 1 +)`; returns NaN when the text is not valid RPN. */
export function evalRpn(text: string): number {
  const body = text.replace(/^\(|\)$/g, '').trim();
  const st: number[] = [];
  for (const t of body.split(/\s+/)) {
    if (t === '') continue;
    if ('+-*/^'.includes(t) && t.length === 1) {
      if (st.length < 2) return NaN;
      const b = st.pop() as number, a = st.pop() as number;
      st.push(t === '+' ? a + b : t === '-' ? a - b : t === '*' ? a * b : t === '/' ? a / b : a ** b);
    } else if (t.toLowerCase() === 'sqrt') {
      if (!st.length) return NaN;
      st.push(Math.sqrt(st.pop() as number));
    } else {
      const x = Number(t);
      if (!Number.isFinite(x)) return NaN;
      st.push(x);
    }
  }
  return st.length === 1 ? st[0] : NaN;
}

/** A scalar number: plain text or parenthesised RPN. */
export function toNumber(v: string): number {
  const t = v.trim();
  if (t.startsWith('(')) return evalRpn(t);
  return t === '' ? NaN : Number(t);
}

/** An array or lower-triangular matrix: `[1 2 | 3 4]`, `(1 | 2 3)`, `"69,24.9"`; `|` separators dropped. */
export function toNumbers(v: string): number[] {
  const t = v.trim().replace(/^\(|\)$/g, '');
  return t.split(/[\s,|]+/).filter((x) => x !== '').map(Number);
}

/** A string array such as `[650.1 RG60.1]` or `'wye wye'`. */
export function toStrings(v: string): string[] {
  return v.trim().replace(/^\(|\)$/g, '').split(/[\s,]+/).filter((x) => x !== '');
}
