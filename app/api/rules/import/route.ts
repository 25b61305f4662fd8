import { NextResponse } from "next/server";
import { readTextBody } from "@/lib/app/body";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { importRules } from "@/lib/db/rule-admin";
import { ruleActor } from "../actor";

export const dynamic = "force-dynamic";

/** Rule files are small; a Kibana export of every prebuilt Elastic rule is a few megabytes. */
const MAX_BYTES = 8 * 1024 * 1024;

/**
 * Imports one Elastic TOML rule file or a Kibana rules NDJSON export, sent
 * either as multipart form data (field "file") or as the raw body (name it
 * with `?filename=`; without a name the format is told from the text).
 * Answers 200 with one result per rule, refused ones included.
 */
export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "rules:write");
  if (!auth.ok) return auth.response;
  if (Number(request.headers.get("content-length") ?? "0") > MAX_BYTES) return tooLarge();
  const upload = await readUpload(request);
  if (upload === "too_large") return tooLarge();
  if (upload === null) {
    return errorResponse(400, "invalid_request", 'Send a rule file as multipart field "file" or as the request body.', [
      { field: "file", message: "missing" },
    ]);
  }
  if (upload.text.trim() === "") {
    return errorResponse(400, "empty_file", `${upload.filename} is empty: there is no rule to import.`, [
      { field: "file", message: "empty" },
    ]);
  }
  return NextResponse.json(await importRules(upload.text, upload.filename, ruleActor(auth)));
});

async function readUpload(request: Request): Promise<{ text: string; filename: string } | "too_large" | null> {
  const type = request.headers.get("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    const form = await request.formData().catch(() => null);
    const file = form?.get("file");
    if (!file || typeof file === "string") return null;
    if (file.size > MAX_BYTES) return "too_large";
    return { text: await file.text(), filename: file.name || "upload" };
  }
  const text = await readTextBody(request, MAX_BYTES);
  if (text === null) return "too_large";
  const filename = new URL(request.url).searchParams.get("filename")?.trim() || "upload";
  return { text, filename };
}

function tooLarge(): NextResponse {
  return errorResponse(413, "body_too_large", `A rule file may be at most ${MAX_BYTES / 1024 / 1024} MB.`);
}
