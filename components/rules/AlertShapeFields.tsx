"use client";

import type { Rule, SeverityMappingEntry } from "@/lib/rules/schema";

const SEVERITIES = ["low", "medium", "high", "critical"] as const;
const inputClass =
  "block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-900";
const smallButton =
  "rounded-md border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";

export interface AlertShapeDraft {
  ruleNameOverride: string;
  riskScoreOverride: string;
  severityMapping: SeverityMappingEntry[];
  /** suppression group-by fields, comma separated; empty: no suppression */
  suppressGroupBy: string;
  /** e.g. "5m"; empty: within one upload */
  suppressDuration: string;
  suppressMissing: "suppress" | "doNotSuppress";
}

export function alertShapeDraft(rule: Rule): AlertShapeDraft {
  return {
    ruleNameOverride: rule.ruleNameOverride ?? "",
    riskScoreOverride: rule.riskScoreOverride ?? "",
    severityMapping: rule.severityMapping.map((entry) => ({ ...entry })),
    suppressGroupBy: rule.alertSuppression?.groupBy.join(", ") ?? "",
    suppressDuration: rule.alertSuppression?.duration ?? "",
    suppressMissing: rule.alertSuppression?.missingFieldsStrategy ?? "suppress",
  };
}

/** The patch fields for a draft: an empty override field clears it, no group-by fields turn suppression off. */
export function alertShapePatch(
  draft: AlertShapeDraft,
): Pick<Rule, "ruleNameOverride" | "riskScoreOverride" | "severityMapping" | "alertSuppression"> {
  const field = draft.ruleNameOverride.trim();
  const riskField = draft.riskScoreOverride.trim();
  const groupBy = draft.suppressGroupBy
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const duration = draft.suppressDuration.trim();
  return {
    ruleNameOverride: field === "" ? null : field,
    riskScoreOverride: riskField === "" ? null : riskField,
    severityMapping: draft.severityMapping.map((entry) => ({ ...entry, field: entry.field.trim() })),
    alertSuppression:
      groupBy.length === 0
        ? null
        : { groupBy, duration: duration === "" ? null : duration, missingFieldsStrategy: draft.suppressMissing },
  };
}

/**
 * Alert name and severity taken from the event (Elastic's rule_name_override
 * and severity_mapping): what promotion rules use to name an alert after the
 * sensor's rule and weigh it by the sensor's priority. Compact: one field and
 * field / value / severity rows.
 */
export function AlertShapeFields({
  draft,
  onChange,
  errorOf,
}: {
  draft: AlertShapeDraft;
  onChange: (next: AlertShapeDraft) => void;
  /** Server-side message for a field path such as "severityMapping[0].field". */
  errorOf: (field: string) => string | undefined;
}) {
  const rows = draft.severityMapping;
  const setRow = (index: number, change: Partial<SeverityMappingEntry>) =>
    onChange({ ...draft, severityMapping: rows.map((row, i) => (i === index ? { ...row, ...change } : row)) });
  const overrideError = errorOf("ruleNameOverride");
  const riskError = errorOf("riskScoreOverride");
  const suppressionError = ["alertSuppression.groupBy", "alertSuppression.duration", "alertSuppression"]
    .map((field) => errorOf(field))
    .concat([0, 1, 2].map((index) => errorOf(`alertSuppression.groupBy[${index}]`)))
    .find((message) => message !== undefined);
  const mappingError = rows
    .map((_, index) => errorOf(`severityMapping[${index}].field`) ?? errorOf(`severityMapping[${index}].value`))
    .find((message) => message !== undefined);
  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-3 dark:border-slate-800">
      <legend className="px-1 text-sm font-medium">Alert name, severity, risk score and suppression</legend>
      <div>
        <label htmlFor="rule-name-override" className="block text-sm">
          Name alerts after field <span className="text-slate-500">(empty: the rule's name)</span>
        </label>
        <input
          id="rule-name-override"
          value={draft.ruleNameOverride}
          placeholder="rule.name"
          onChange={(event) => onChange({ ...draft, ruleNameOverride: event.target.value })}
          aria-invalid={Boolean(overrideError)}
          className={`mt-1 font-mono ${inputClass}`}
        />
        {overrideError ? <p className="mt-1 text-xs text-red-700 dark:text-red-400">{overrideError}</p> : null}
      </div>
      <div>
        <label htmlFor="risk-score-override" className="block text-sm">
          Risk score from field{" "}
          <span className="text-slate-500">(a number from 0 to 100; empty, or any other value: the rule's score)</span>
        </label>
        <input
          id="risk-score-override"
          value={draft.riskScoreOverride}
          placeholder="event.risk_score"
          onChange={(event) => onChange({ ...draft, riskScoreOverride: event.target.value })}
          aria-invalid={Boolean(riskError)}
          className={`mt-1 font-mono ${inputClass}`}
        />
        {riskError ? <p className="mt-1 text-xs text-red-700 dark:text-red-400">{riskError}</p> : null}
      </div>
      <div>
        <p className="text-sm" id="severity-mapping-label">
          Severity mapping{" "}
          <span className="text-slate-500">
            (an event whose field holds the value gets that severity; the highest match wins)
          </span>
        </p>
        {rows.length > 0 ? (
          <table className="mt-1 w-full text-sm" aria-labelledby="severity-mapping-label">
            <thead>
              <tr className="text-left text-xs text-slate-500">
                <th className="font-normal">Field</th>
                <th className="font-normal">Value</th>
                <th className="font-normal">Severity</th>
                <th>
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => {
                const error = errorOf(`severityMapping[${index}].field`) ?? errorOf(`severityMapping[${index}].value`);
                return (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
                  <tr key={index} data-testid="severity-mapping-row">
                    <td className="pr-2 pb-1">
                      <input
                        aria-label={`Mapping ${index + 1} field`}
                        value={row.field}
                        onChange={(event) => setRow(index, { field: event.target.value })}
                        aria-invalid={Boolean(error)}
                        className={`font-mono ${inputClass}`}
                      />
                    </td>
                    <td className="pr-2 pb-1">
                      <input
                        aria-label={`Mapping ${index + 1} value`}
                        value={row.value}
                        onChange={(event) => setRow(index, { value: event.target.value })}
                        className={`font-mono ${inputClass}`}
                      />
                    </td>
                    <td className="pr-2 pb-1">
                      <select
                        aria-label={`Mapping ${index + 1} severity`}
                        value={row.severity}
                        onChange={(event) => setRow(index, { severity: event.target.value as Rule["severity"] })}
                        className={inputClass}
                      >
                        {SEVERITIES.map((severity) => (
                          <option key={severity} value={severity}>
                            {severity}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="pb-1">
                      <button
                        type="button"
                        className={smallButton}
                        aria-label={`Remove mapping ${index + 1}`}
                        onClick={() => onChange({ ...draft, severityMapping: rows.filter((_, i) => i !== index) })}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : (
          <p className="mt-1 text-xs text-slate-500">None: every alert has the rule's severity.</p>
        )}
        {mappingError ? (
          <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-400">
            {mappingError}
          </p>
        ) : null}
        <button
          type="button"
          className={`mt-2 ${smallButton}`}
          onClick={() =>
            onChange({ ...draft, severityMapping: [...rows, { field: "", value: "", severity: "medium" }] })
          }
        >
          Add mapping
        </button>
      </div>
      <div className="grid gap-2 sm:grid-cols-3">
        <div className="sm:col-span-3">
          <p className="text-sm">
            Suppression{" "}
            <span className="text-slate-500">
              (matches with the same values of these fields fold into one alert and add to its count)
            </span>
          </p>
        </div>
        <div>
          <label htmlFor="rule-suppress-group-by" className="block text-xs">
            Group by <span className="text-slate-500">(up to 3 fields, comma separated)</span>
          </label>
          <input
            id="rule-suppress-group-by"
            value={draft.suppressGroupBy}
            placeholder="rule.name, container.id"
            onChange={(event) => onChange({ ...draft, suppressGroupBy: event.target.value })}
            aria-invalid={Boolean(suppressionError)}
            className={`mt-1 font-mono ${inputClass}`}
          />
        </div>
        <div>
          <label htmlFor="rule-suppress-duration" className="block text-xs">
            Window <span className="text-slate-500">(e.g. 5m; empty: one upload)</span>
          </label>
          <input
            id="rule-suppress-duration"
            value={draft.suppressDuration}
            placeholder="5m"
            onChange={(event) => onChange({ ...draft, suppressDuration: event.target.value })}
            className={`mt-1 font-mono ${inputClass}`}
          />
        </div>
        <div>
          <label htmlFor="rule-suppress-missing" className="block text-xs">
            When a field is missing
          </label>
          <select
            id="rule-suppress-missing"
            value={draft.suppressMissing}
            onChange={(event) =>
              onChange({ ...draft, suppressMissing: event.target.value as AlertShapeDraft["suppressMissing"] })
            }
            className={`mt-1 ${inputClass}`}
          >
            <option value="suppress">Suppress together</option>
            <option value="doNotSuppress">Raise an alert each</option>
          </select>
        </div>
        {suppressionError ? (
          <p role="alert" className="text-xs text-red-700 sm:col-span-3 dark:text-red-400">
            {suppressionError}
          </p>
        ) : null}
      </div>
    </fieldset>
  );
}
