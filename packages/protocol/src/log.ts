// One-line logs with a level filter: "<ISO time> <level> <component>: <message>" on stdout.

export type LogLevel = "debug" | "info" | "warn" | "error";
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export function isLogLevel(s: string): s is LogLevel {
  return Object.hasOwn(RANK, s);
}

/** A logger writing lines at `level` and above; `write` defaults to stdout. */
export function makeLogger(component: string, level: LogLevel = "info", write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const at = (l: LogLevel) => (msg: string): void => {
    if (RANK[l] >= RANK[level]) write(`${new Date().toISOString()} ${l} ${component}: ${msg}\n`);
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** Discards everything (tests, embedded use). */
export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
