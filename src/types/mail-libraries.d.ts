// Types for the mail helpers that ship none (planer is CoffeeScript compiled to CommonJS).
declare module 'planer' {
  const planer: {
    extractFromPlain(body: string): string;
    extractFrom(body: string, contentType?: string, dom?: unknown): string;
  };
  export default planer;
}

declare module 'planer/lib/regexes.js' {
  const regexes: {
    SPLITTER_PATTERNS: RegExp[];
    FWD: RegExp;
    [name: string]: RegExp | RegExp[];
  };
  export default regexes;
}
