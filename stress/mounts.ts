/**
 * Real storage faults for the stress suite: a tmpfs of a chosen size is a disk
 * that fills up, and a read-only bind mount is a database file nobody may
 * write. Both need root (or CAP_SYS_ADMIN); `mountsAvailable` says whether
 * this machine allows them, so the tests that need them can say why they skip.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

function mount(args: string[]): void {
  const result = spawnSync("mount", args, { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`mount ${args.join(" ")} failed: ${result.error?.message ?? result.stderr.trim()}`);
  }
}

export function unmount(target: string): void {
  spawnSync("umount", ["-l", target], { encoding: "utf8" });
}

/** Tries a throw-away tmpfs mount once. */
export function mountsAvailable(): boolean {
  if (process.platform !== "linux") return false;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-mount-probe-"));
  try {
    mount(["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]);
    unmount(dir);
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A tmpfs of `bytes` at `dir` (created if needed): writes past its size fail with ENOSPC. */
export function mountTmpfs(dir: string, bytes: number): void {
  fs.mkdirSync(dir, { recursive: true });
  mount(["-t", "tmpfs", "-o", `size=${Math.ceil(bytes / 4096) * 4096}`, "tmpfs", dir]);
}

/** Grows a mounted tmpfs in place, as freeing disk space would. */
export function resizeTmpfs(dir: string, bytes: number): void {
  mount(["-o", `remount,size=${Math.ceil(bytes / 4096) * 4096}`, dir]);
}

/**
 * `source` (a folder, or a single file) seen read-only at `target`: every open
 * for writing fails with EROFS, even for root. A file's folder stays writable.
 */
export function mountReadOnly(source: string, target: string): void {
  if (fs.statSync(source).isDirectory()) fs.mkdirSync(target, { recursive: true });
  else fs.writeFileSync(target, "");
  mount(["--bind", source, target]);
  mount(["-o", "remount,bind,ro", target]);
}
