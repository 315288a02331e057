// "Example Corp"'s base, as presets: what every image of the organisation starts with, written once with
// `definePreset` so that each application records (in a label) what the base set, and `presetConflicts` reports
// another preset that fights over the same variables, paths or user.
import type { Image, ImageTransform, Mount } from "@chutes/image-core";
import { definePreset, pipCacheMounts, shellWord } from "@chutes/presets";
import type { Preset } from "@chutes/presets";

/** Where update-ca-certificates picks up local CAs (Debian, Ubuntu). */
export const CA_DIR = "/usr/local/share/ca-certificates/example-corp";
/** The bundle update-ca-certificates writes: the system CAs plus ours. */
export const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
/** The build secret that holds pip's configuration (the internal index and its credentials). */
export const PIP_CONF_SECRET = "pip-conf";
/** The unprivileged user every service runs as. */
export const SERVICE_UID = 10001;

/** Options of `companyBase`. */
export interface CompanyBaseOptions {
  /** The owning team, recorded as a label. */
  readonly team: string;
  /** The organisation's root CA in the build context. Default `certs/example-corp-root-ca.crt`. */
  readonly caCert?: string;
}

/**
 * Trusts the organisation's root CA (system store, Python's requests and pip, which otherwise read certifi's
 * bundle), and labels the image with its vendor and team. Debian/Ubuntu bases; apply it first, as root.
 */
export function companyBase(options: CompanyBaseOptions): Preset {
  const caCert = options.caCert ?? "certs/example-corp-root-ca.crt";
  return definePreset({
    name: "example-corp.base",
    sets: { env: ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "PIP_CERT"], paths: [CA_DIR] },
    notes: { caBundle: CA_BUNDLE, pipConfSecret: PIP_CONF_SECRET },
    apply: (image) =>
      image
        .aptInstall(["ca-certificates"])
        .copy(caCert, `${CA_DIR}/example-corp-root-ca.crt`)
        .runCommand("update-ca-certificates")
        .withEnv("SSL_CERT_FILE", CA_BUNDLE)
        .withEnv("REQUESTS_CA_BUNDLE", CA_BUNDLE)
        .withEnv("PIP_CERT", CA_BUNDLE)
        .withLabel("org.opencontainers.image.vendor", "Example Corp")
        .withLabel("com.example-corp.team", options.team),
  });
}

/** The organisation's service user (uid 10001, no login, no home), switched to: apply it last. */
export function companyUser(): Preset {
  return definePreset({
    name: "example-corp.user",
    sets: { user: true },
    apply: (image) =>
      image
        .runCommand(
          `groupadd --system --gid ${SERVICE_UID} svc && ` +
            `useradd --system --uid ${SERVICE_UID} --gid svc --no-create-home --shell /usr/sbin/nologin svc`,
        )
        .setUser(`${SERVICE_UID}:${SERVICE_UID}`),
  });
}

/**
 * `pip install <args>` against the internal index: pip's configuration (index URL with its token) is the build
 * secret `pip-conf`, mounted at /etc/pip.conf (pip's site-wide file) for this step only, so it is in no layer and
 * no image history. `required`: without the secret the step fails rather than falling back to public PyPI.
 * Cache-aware like @chutes/presets' `pipInstall` (a cache mount after `withPipCache`, else --no-cache-dir).
 */
export function companyPipInstall(args: readonly string[]): ImageTransform {
  return (image: Image) => {
    const cache = pipCacheMounts(image);
    const mounts: Mount[] = [{ type: "secret", id: PIP_CONF_SECRET, target: "/etc/pip.conf", required: true }, ...cache];
    const words = [...(cache.length > 0 ? [] : ["--no-cache-dir"]), ...args.map(shellWord)];
    return image.runCommand(`pip install ${words.join(" ")}`, { mounts });
  };
}
