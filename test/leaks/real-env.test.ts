import { describe, expect, it } from "vitest";
import { judgeVariable } from "../../shared/leaks/scan-env";
import { CREDENTIALS } from "./samples";

/**
 * Environment variables as official Docker Hub images (nginx, python, node, php, postgres,
 * mysql, redis, httpd, tomcat, rabbitmq, jenkins…) and ordinary services set them. None is a
 * secret: every one flagged would be a false positive on a real image or function.
 */
const REAL_NON_SECRETS: [string, string][] = [
  ["NODE_ENV", "production"],
  ["JAVA_OPTS", "-Xmx512m -XX:+UseG1GC"],
  ["ES_JAVA_OPTS", "-Xms1g -Xmx1g"],
  ["PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
  ["HOME", "/root"],
  ["LANG", "C.UTF-8"],
  ["NGINX_VERSION", "1.25.3"],
  [
    "KEY_SHA512",
    "e09fa32f0e8e0d0b4b3c5e0cba3a8e7f8d2ad7e1bd1e3bd6e0d4e9b0fe0d2bd5d0b2e9d0d2ab8e5d0bd1a1ac4e7e81",
  ],
  ["NPM_CONFIG_LOGLEVEL", "info"],
  ["PYTHONDONTWRITEBYTECODE", "1"],
  ["GPG_KEY", "7169605F62C751356D054A26A821E680E5FA6305"],
  ["GPG_KEYS", "39B641343D8C104B2B146DC3F9C39DC0B9698544 E60913E4DF209907D8E30D96659A97C9CF2A795A"],
  ["PYTHON_SHA256", "be28112dac813d2053545c14bf13a16401a21877f1a69eb6ea5d84c4a0f3d870"],
  ["PHP_ASC_URL", "https://www.php.net/distributions/php-8.3.4.tar.xz.asc"],
  ["RABBITMQ_PGP_KEY_ID", "0x0A9AF2115F4687BD29803A206B73A36E6026DFCA"],
  ["OPENSSL_PGP_KEY_IDS", "0xBA5473A2B0587B07FB27CF2D216094DFD0CB81EF"],
  ["PGDATA", "/var/lib/postgresql/data"],
  ["MYSQL_ALLOW_EMPTY_PASSWORD", "yes"],
  ["MYSQL_RANDOM_ROOT_PASSWORD", "yes"],
  ["MYSQL_ROOT_PASSWORD_FILE", "/run/secrets/db_root"],
  ["GF_SECURITY_ADMIN_PASSWORD__FILE", "/run/secrets/grafana"],
  ["POSTGRES_HOST_AUTH_METHOD", "trust"],
  ["AWS_REGION", "us-east-1"],
  ["SPRING_PROFILES_ACTIVE", "prod"],
  ["DB_HOST", "db.internal"],
  ["DB_USER", "orders"],
  ["REDIS_URL", "redis://cache.internal:6379/0"],
  ["DATABASE_URL", "postgres://orders@db.internal:5432/orders"],
  ["CACHE_TTL", "300"],
  ["SECRET_NAME", "orders/prod/db"],
  ["TOKEN_ENDPOINT", "https://auth.example.com/oauth2/token"],
  ["PUBLIC_KEY_PATH", "/etc/keys/pub.pem"],
  ["JWT_ISSUER", "https://auth.example.com"],
  ["KMS_KEY_ALIAS", "alias/orders"],
  ["PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED", "true"],
  // Settings about a secret, not the secret.
  ["TOKEN_REFRESH_INTERVAL", "5m"],
  ["SESSION_TOKEN_DURATION", "1h"],
  ["TOKEN_LEEWAY", "30s"],
  ["KEY_ROTATION_PERIOD", "90d"],
  ["SECRET_CACHE_SIZE", "64Mi"],
  ["TOKEN_SIGNING_ALG", "RS256"],
  ["OAUTH_TOKEN_ENDPOINT_AUTH_METHOD", "client_secret_basic"],
  ["PASSWORD_ENCODER", "bcrypt"],
  ["TOKEN_STORE", "redis"],
  ["CREDENTIALS_PROVIDER", "default"],
  ["API_KEY_SOURCE", "HEADER"],
  ["GITHUB_TOKEN_SCOPE", "repo"],
  ["SECRET_VERSION_STAGE", "AWSCURRENT"],
  ["EC2_KEY_PAIR", "orders-deploy"],
  // Keys meant to be public.
  ["STRIPE_PUBLISHABLE_KEY", "pk_" + "live_" + "51HxmplAbCdEfGhIjKlMnOpQrStUv"],
  ["RECAPTCHA_SITE_KEY", "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI"],
  ["SSH_KEY", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGv2xmplc2NhbmZpeHR1cmVvbmx5 deploy@ci"],
  ["JWT_KEY", "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----"],
  // AWS documentation's example key id.
  ["AWS_ACCESS_KEY_ID", "AKIAIOSF" + "ODNN7EXAMPLE"],
];

/** Plain-text secrets as they really appear; each must be flagged. */
const REAL_SECRETS: [string, string][] = [
  ["DB_PASSWORD", "Tr0ub4dor-3"],
  ["POSTGRES_PASSWORD", "postgres"],
  ["RABBITMQ_DEFAULT_PASS", "guest"],
  ["SECRET_KEY", "django-insecure-7x1mpl3"],
  ["SESSION_SECRET", "keyboard cat"],
  ["API_KEY", "abc123def456"],
  ["AWS_SECRET_ACCESS_KEY", "Xk2Lq9Wv4Rt7Yp1Zm8Nc3Bd6/Qa5Hj0Fs+Ge1Tk2Uw"],
  ...CREDENTIALS.map((c): [string, string] => ["UPSTREAM", c.value]),
];

describe("leak detection on real environments", () => {
  it.each(REAL_NON_SECRETS)("%s=%j is not a leak", (name, value) => {
    expect(judgeVariable(name, value, "environment")).toBeUndefined();
  });

  it.each(REAL_SECRETS)("%s=… is a leak", (name, value) => {
    expect(judgeVariable(name, value, "environment")).toMatchObject({ name, valueLength: value.length });
  });
});
