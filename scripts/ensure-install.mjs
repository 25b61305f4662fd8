// `npm run bench` and other scripts call this first: installs what is missing.
import { ensureInstalled } from "./lib/setup.mjs";

ensureInstalled();
