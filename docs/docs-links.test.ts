import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The documentation stays navigable: relative links in README.md and docs/*.md
 * point at files that exist (and at headings that exist, for #anchors), the
 * npm commands README shows are scripts in package.json, and every setting the
 * code reads from the environment is documented in docs/operations.md.
 */
const root = path.join(import.meta.dirname, "..");
const markdownFiles = [
  path.join(root, "README.md"),
  ...readdirSync(import.meta.dirname)
    .filter((name) => name.endsWith(".md"))
    .map((name) => path.join(import.meta.dirname, name)),
];

/** Markdown without fenced code blocks and inline code, where link syntax is only text. */
function prose(markdown: string): string {
  return markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  for (const match of markdown.replace(/```[\s\S]*?```/g, "").matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = (match[1] as string)
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const seen = counts.get(base) ?? 0;
    counts.set(base, seen + 1);
    anchors.add(seen === 0 ? base : `${base}-${seen}`);
  }
  return anchors;
}

function relativeLinks(markdown: string): string[] {
  const targets = [...prose(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
    (match) => match[1] as string,
  );
  return targets.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** What is wrong with one link, or null when it leads somewhere. */
function brokenLink(from: string, target: string): string | null {
  const [file = "", anchor] = target.split("#");
  const resolved = file === "" ? from : path.resolve(path.dirname(from), decodeURIComponent(file));
  if (!existsSync(resolved)) return `${target}: no file ${path.relative(root, resolved)}`;
  if (anchor === undefined) return null;
  if (statSync(resolved).isDirectory() || !resolved.endsWith(".md"))
    return `${target}: an anchor into a non-markdown file`;
  return headingAnchors(readFileSync(resolved, "utf8")).has(anchor) ? null : `${target}: no heading #${anchor}`;
}

describe("documentation links", () => {
  it("finds README and the docs", () => {
    expect(markdownFiles.map((file) => path.relative(root, file))).toEqual(
      expect.arrayContaining(["README.md", "docs/api.md", "docs/cli.md", "docs/rules.md"]),
    );
  });

  for (const file of markdownFiles) {
    it(`${path.relative(root, file)}: relative links and anchors resolve`, () => {
      const markdown = readFileSync(file, "utf8");
      const broken = relativeLinks(markdown)
        .map((target) => brokenLink(file, target))
        .filter((problem): problem is string => problem !== null);
      expect(broken).toEqual([]);
    });
  }

  it("reports a link to a missing file or heading", () => {
    const readme = path.join(root, "README.md");
    expect(brokenLink(readme, "docs/nothing-here.md")).toMatch(/no file/);
    expect(brokenLink(readme, "docs/rules.md#no-such-heading")).toMatch(/no heading/);
    expect(brokenLink(readme, "docs/rules.md#eql-reference")).toBeNull();
    expect(relativeLinks("[a](https://example.org) [b](docs/x.md) `[c](y.md)`")).toEqual(["docs/x.md"]);
  });

  it("numbers repeated headings as GitHub does", () => {
    expect([...headingAnchors("# A b\n## A b\n### C, d & e!\n")]).toEqual(["a-b", "a-b-1", "c-d--e"]);
  });
});

describe("README commands", () => {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const scripts = Object.keys(
    (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts,
  );

  it("are scripts in package.json", () => {
    const shown = [...readme.matchAll(/\bnpm (?:run )?([a-z][\w:-]*)/g)]
      .map((match) => match[1] as string)
      .filter((name) => !["install", "ci", "help", "run"].includes(name));
    expect(shown).toEqual(expect.arrayContaining(["start", "test"]));
    expect(shown.filter((name) => !scripts.includes(name))).toEqual([]);
  });
});

describe("docs/operations.md", () => {
  const operations = readFileSync(path.join(import.meta.dirname, "operations.md"), "utf8");

  function sourceFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(full);
      return /\.(ts|tsx|mjs)$/.test(entry.name) && !entry.name.includes(".test.") ? [full] : [];
    });
  }

  it("documents every setting the code reads from the environment", () => {
    const names = new Set<string>();
    for (const dir of ["lib", "app", "scripts", "bin"]) {
      for (const file of sourceFiles(path.join(root, dir))) {
        for (const match of readFileSync(file, "utf8").matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) {
          const name = match[1] as string;
          if (name.startsWith("KEELWATCH_") || name === "PORT" || name === "DATABASE_URL") names.add(name);
        }
      }
    }
    expect([...names]).toEqual(expect.arrayContaining(["DATABASE_URL", "KEELWATCH_MAX_UPLOAD_BYTES"]));
    expect([...names].filter((name) => !operations.includes(`\`${name}\``))).toEqual([]);
  });
});
