// A service built on the organisation's base (company.ts, see README.md): the base preset first, the internal pip
// index through a build secret, the code, and the service user last. `appliedPresets` lists what built the image;
// `presetConflicts` is empty, and becomes non-empty when a second preset also sets the user.
import { Image } from "@chutes/image-core";
import { appliedPresets, nonRootUser, presetConflicts, withPipCache } from "@chutes/presets";
import { companyBase, companyPipInstall, companyUser } from "./company.ts";

export const image = new Image("example-corp", "billing-worker", "2.3.0")
  .fromBase("python:3.12-slim")
  .with(companyBase({ team: "payments" }))
  .with(withPipCache())
  .copy("requirements.txt", "/srv/requirements.txt")
  .with(companyPipInstall(["-r", "/srv/requirements.txt"]))
  .copy("worker.py", "/srv/worker.py")
  .setWorkdir("/srv")
  .with(companyUser())
  .withEntrypoint(["python", "/srv/worker.py"]);

/** The presets the image records, in order, with their declarations and notes. */
export const presets = appliedPresets(image);

/** What not to do: @chutes/presets' generic `nonRootUser` on top of the company's user. */
export const doubleUser = image.with(nonRootUser());

/** One `preset-user-conflict` issue: both presets set the user, and the later (uid 1000) silently wins. */
export const conflicts = presetConflicts(doubleUser);
