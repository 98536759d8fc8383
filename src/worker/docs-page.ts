import { Scalar } from "@scalar/hono-api-reference";
import { dependencies } from "../../package.json";

/**
 * The API reference's browser bundle, served by Workers static assets (scripts/build-assets.mjs
 * copies it from the pinned @scalar/api-reference) rather than a CDN: /docs then works offline,
 * runs only code this repository pinned, and asks no third party for it. Its name carries the
 * version, so it can be cached for good and an upgrade is a new URL.
 */
export const SCALAR_SCRIPT_PATH = `/vendor/scalar-api-reference-${dependencies["@scalar/api-reference"]}.js`;

/** `GET /docs`: the interactive reference for `/openapi.json`. */
export const docsPage = Scalar({
  url: "/openapi.json",
  pageTitle: "Secondhand Auction API",
  // Given a script URL, Scalar loads its single-file bundle with a plain <script src>.
  cdn: SCALAR_SCRIPT_PATH,
});
