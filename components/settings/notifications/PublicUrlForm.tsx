"use client";

import { type FormEvent, useState } from "react";
import { buttonClass, FormError, TextField } from "../fields";
import { usePublicUrl, useSavePublicUrl } from "./notification-queries";

/** The address links in messages point at; KEELWATCH_PUBLIC_URL, when set, wins over this. */
export function PublicUrlForm() {
  const current = usePublicUrl();
  const save = useSavePublicUrl();
  const [value, setValue] = useState<string | null>(null);
  const shown = value ?? current.data?.stored ?? "";

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(shown.trim() || null, { onSuccess: () => setValue(null) });
  }

  return (
    <section aria-labelledby="public-url-heading" className="max-w-xl">
      <h3 id="public-url-heading" className="text-base font-semibold">
        Links in messages
      </h3>
      <form onSubmit={submit} className="mt-3 space-y-3" noValidate>
        <TextField
          id="public-url"
          label="Public address of Keelwatch"
          value={shown}
          onChange={setValue}
          error={save.error?.fieldErrors.publicUrl}
          hint={
            current.data
              ? current.data.fromEnvironment
                ? `KEELWATCH_PUBLIC_URL is set, so messages link to ${current.data.effective}.`
                : `Messages link to ${current.data.effective}.`
              : undefined
          }
        />
        <FormError error={save.error} shownFields={["publicUrl"]} />
        <button type="submit" className={buttonClass} disabled={save.isPending}>
          Save address
        </button>
      </form>
    </section>
  );
}
