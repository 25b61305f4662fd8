export { csvField, csvRecord } from "./csv";
export { ndjsonRecord } from "./ndjson";
export {
  EXPORT_CONTENT_TYPES,
  EXPORT_FORMATS,
  type ExportColumn,
  type ExportFormat,
  ExportFormatSchema,
  type ExportShape,
  exportFileName,
  exportResponse,
  exportStream,
} from "./stream";
