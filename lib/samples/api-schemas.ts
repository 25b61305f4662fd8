import { z } from "zod";
import { SAMPLE_FORMATS } from "./formats";

/** POST /api/samples/load body: which sample to load (ECS when the body is empty). */
export const LoadSampleSchema = z
  .object({ format: z.enum(SAMPLE_FORMATS).default("ecs") })
  .strict()
  .prefault({});
