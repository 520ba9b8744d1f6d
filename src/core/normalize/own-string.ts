/**
 * A string equal to `text` that does not keep the reader's input text alive.
 *
 * Why: the readers hand out element values as slices of the text they decoded (V8 "sliced strings"
 * for values of 13 characters or more). An event that keeps such a slice keeps the whole decoded
 * chunk (up to 256 KiB) alive as long as the event lives: measured, one retained event held
 * 110–155 KB, and the garbage collector copied those chunks again and again while a message's events
 * were gathered (a third of the EDIFACT run time). Concatenating then slicing makes V8 copy the
 * value into a string of its own (the concatenation is flattened before it is sliced); short values
 * are copies already. Only memory and speed depend on this engine detail, never the value.
 */
export function ownString(text: string): string {
  return text.length < 13 ? text : `${text} `.slice(0, -1);
}
