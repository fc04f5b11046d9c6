// Builds C2 Hub's front end into c2hub/static/dist (not committed): compiled CSS, the GOV.UK
// Frontend script and the assets we use. Run by `make` (npm run build); needs no network.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "c2hub", "static", "dist");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const css = sass.compile(join(root, "frontend", "scss", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "app.css"), css.css);

cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(root, "frontend", "js", "app.js"), join(out, "app.js"));
// Only the images components need; not the crown, the GOV.UK icons or the GDS Transport font.
mkdirSync(join(out, "govuk", "assets"), { recursive: true });
console.log(`built ${out} (app.css ${(css.css.length / 1024).toFixed(0)} KiB)`);
