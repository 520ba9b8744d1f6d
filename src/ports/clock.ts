/** Port: the wall clock, as a calendar date and time in an explicit zone (never the machine's). */
export interface LocalStamp {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM */
  time: string;
}

export interface Clock {
  now(): LocalStamp;
}
