/**
 * A string equal to `text` that does not keep the reader's input text alive.
 *
 * Why: the readers hand out element values as slices of the text they decoded (V8 "sliced strings"
 * for values of 13 characters or more). An event that keeps such a slice keeps the whole decoded
 * chunk (up to 256 KiB) alive as long as the event lives: measured, one retained event held
 * 110–155 KB, and the garbage collector copied those chunks again and again while a message's events
 * were gathered (a third of the EDIFACT run time).
 *
 * How: the value is rebuilt as a concatenation of its own length (first character + the rest) and
 * that concatenation is flattened at once (reading a character of a concatenation flattens it into a
 * new flat string of its own). The next young-generation collection replaces every reference to a
 * flattened concatenation by the flat string, so an event keeps one flat string per value. The
 * previous form, `${text} `.slice(0, -1), kept a slice (32 bytes more, one object more) of a copy
 * one character longer; events are gathered per interchange and copied by the collector, and their
 * size is what that copying costs. Short values are copies already. Only memory and speed depend on
 * this engine detail, never the value.
 */
const charCodeAt = String.prototype.charCodeAt;

export function ownString(text: string): string {
  if (text.length < 13) return text;
  const own = text.slice(0, 1) + text.slice(1);
  charCodeAt.call(own, 0);
  return own;
}

/**
 * `list.join(separator)` as a string of its own: a join of two or more values is a new flat string
 * already (no second copy); a join of one value is that value itself, a slice of the reader's text.
 */
export function joinOwn(list: readonly string[], separator: string): string {
  return list.length === 1 ? ownString(list[0] as string) : list.join(separator);
}
