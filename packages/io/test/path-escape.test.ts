// Escaping data into path components (Hive/Spark rules) and back: no value adds, removes or climbs a component.
import { describe, expect, it } from "vitest";
import { HIVE_NULL, escapePathComponent, escapePathSegment, hiveSegment, parseHiveSegment, unescapePathComponent } from "@tessera/io";
import { mulberry32 } from "@tessera/common";

const HOSTILE = ["/", "..", ".", "../../etc", "a/b", "=", "a=b", "%", "%2F", "%%41", "\n", "\r\n\t", "\u0000", "", "\\", "\\..\\..",
  "*", "?", "#", "'", "\"", ":", "{x}", "[y]", "^", "\u007f", "Ünïcødé 🌍", "日本語/テスト", "__HIVE_DEFAULT_PARTITION__", " lead", "trail ", "~"];

describe("escapePathComponent", () => {
  it("escapes Hive's and Spark's characters as upper-case %XX and keeps everything else", () => {
    expect(escapePathComponent("a/b=c%d:e")).toBe("a%2Fb%3Dc%25d%3Ae");
    expect(escapePathComponent("\n\u0001\u007f")).toBe("%0A%01%7F");
    expect(escapePathComponent(`"#'*?\\{[]^`)).toBe("%22%23%27%2A%3F%5C%7B%5B%5D%5E");
    expect(escapePathComponent("East Africa, ünï 🌍 -_.~+")).toBe("East Africa, ünï 🌍 -_.~+");
  });

  it("never leaves a slash, a backslash or a control character, and round-trips every value", () => {
    const rand = mulberry32(11);
    const values = [...HOSTILE];
    for (let i = 0; i < 2000; i++) {
      values.push(Array.from({ length: Math.floor(rand() * 12) }, () => String.fromCodePoint(Math.floor(rand() * (rand() < 0.7 ? 0x80 : 0x2fff)))).join(""));
    }
    for (const v of values) {
      const e = escapePathComponent(v);
      expect(e).not.toMatch(/[/\\\u0000-\u001f\u007f]/);
      expect(unescapePathComponent(e)).toBe(v);
    }
  });
});

describe("escapePathSegment (whole segments of path templates)", () => {
  it("spells . and .. so they name no directory, and refuses an empty value", () => {
    expect(escapePathSegment(".")).toBe("%2E");
    expect(escapePathSegment("..")).toBe("%2E%2E");
    expect(escapePathSegment("...")).toBe("...");
    expect(escapePathSegment("a/../b")).toBe("a%2F..%2Fb");
    expect(unescapePathComponent(escapePathSegment(".."))).toBe("..");
    expect(() => escapePathSegment("")).toThrow(expect.objectContaining({ code: "IO_BAD_PATH_VALUE" }));
    for (const v of HOSTILE.filter((x) => x !== "")) {
      const seg = escapePathSegment(v);
      expect(seg === "." || seg === ".." || seg.includes("/")).toBe(false);
      expect(unescapePathComponent(seg)).toBe(v);
    }
  });
});

describe("unescapePathComponent", () => {
  it("decodes runs of escapes as UTF-8 (pyarrow, URL encoders), else as Latin-1 bytes (Hive); a stray % is literal", () => {
    expect(unescapePathComponent("East%20Africa")).toBe("East Africa");
    expect(unescapePathComponent("%C3%BCber")).toBe("über");
    expect(unescapePathComponent("caf%E9")).toBe("café");
    expect(unescapePathComponent("100%")).toBe("100%");
    expect(unescapePathComponent("%zz%4")).toBe("%zz%4");
  });
});

describe("hive segments", () => {
  it("round-trip names and values: null, empty and the literal default-partition string stay apart", () => {
    for (const name of ["k", "a=b", "../../esc", "x/y", "ü"]) {
      for (const v of [...HOSTILE, null]) {
        const seg = hiveSegment(name, v);
        expect(seg).not.toMatch(/[/\\\n]/);
        expect(seg.indexOf("=")).toBe(escapePathComponent(name).length);
        expect(parseHiveSegment(seg)).toEqual({ name, value: v });
      }
    }
    expect(hiveSegment("k", null)).toBe(`k=${HIVE_NULL}`);
    expect(hiveSegment("k", "")).toBe("k=");
    expect(hiveSegment("k", HIVE_NULL)).toBe("k=%5F_HIVE_DEFAULT_PARTITION__");
    expect(parseHiveSegment("plain")).toBeNull();
    expect(parseHiveSegment("=v")).toBeNull();
  });
});
