/**
 * The WHATWG Encoding API (TextDecoder, TextEncoder): a global of every JavaScript runtime, but
 * declared by no ES lib, only by DOM's and Node's types. src/core/tsconfig.json leaves both out so
 * the core cannot reach Node's globals (Buffer, process, performance, crypto); this declares just
 * the part of these two classes the core uses.
 */
interface TextDecodeOptions {
  stream?: boolean;
}
interface TextDecoderOptions {
  fatal?: boolean;
  ignoreBOM?: boolean;
}
declare class TextDecoder {
  constructor(label?: string, options?: TextDecoderOptions);
  readonly encoding: string;
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  decode(input?: ArrayBufferView | ArrayBuffer, options?: TextDecodeOptions): string;
}
declare class TextEncoder {
  readonly encoding: string;
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
