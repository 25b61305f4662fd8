import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./io";

/**
 * A command's --options, read strictly and with no positional arguments: an unknown option, a missing value or a
 * stray argument is a UsageError, which the dispatcher prints with the command's help (exit 2), never a stack.
 */
export function parseOptions<const Options extends NonNullable<ParseArgsConfig["options"]>>(
  argv: string[],
  options: Options,
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
