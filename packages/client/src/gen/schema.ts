// Generated from the gateway's merged OpenAPI (GET /openapi.json) by `npm run generate:client`.
// Do not edit: packages/client/test/schema-drift.test.ts fails when this file and the API differ.
export interface paths {
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The public keys that verify access tokens */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            keys: {
                                kty: string;
                                crv: string;
                                x: string;
                                kid: string;
                                /** @enum {string} */
                                alg: "EdDSA";
                                /** @enum {string} */
                                use: "sig";
                            }[];
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every service's readiness and key numbers (admin)
         * @description The gateway asks each instance of every service for `/readyz` and `/metrics` in parallel, each within GATEWAY_ADMIN_HEALTH_TIMEOUT_MS: readiness with its checks, and requests, 5xx errors, outbox backlog, dead letters and deliveries by outcome. A service that does not answer is `down` and the rest still answers 200. Never cached.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the worst of the services */
                            status: "ok" | "degraded" | "down";
                            /** Format: date-time */
                            checkedAt: string;
                            services: {
                                name: string;
                                /** @description down when no instance is ready, degraded when some are not or one says so */
                                status: "ok" | "degraded" | "down";
                                /** @description each readiness check (database, cache, bus, ...), the worst across instances */
                                checks: {
                                    [key: string]: "ok" | "degraded" | "down";
                                };
                                instances: {
                                    url: string;
                                    status: "ok" | "degraded" | "down";
                                    checks: {
                                        [key: string]: "ok" | "degraded" | "down";
                                    };
                                    /** @description why it is down when it could not say so itself: no connection, no answer in time, shutting down, not a readiness answer */
                                    error: "unreachable" | "timeout" | "draining" | "bad_answer" | null;
                                    millis: number;
                                }[];
                                /** @description null when no instance served /metrics (down, or METRICS_ENABLED=false) */
                                metrics: {
                                    /** @description requests answered since the instances started (operations endpoints left out) */
                                    requests: number;
                                    /** @description of those, answered with a 5xx status */
                                    errors: number;
                                    /** @description events waiting in the outbox; null for a stateless service */
                                    outboxBacklog: number | null;
                                    /** @description outbox events given up on */
                                    outboxAbandoned: number | null;
                                    /** @description bus messages in the dead-letter queues; null without consumers */
                                    deadLetters: number | null;
                                    /** @description send attempts by outcome since start (notification only): sent, retry (failed, tried again), failed (dead) */
                                    deliveries: {
                                        sent: number;
                                        retry: number;
                                        failed: number;
                                    } | null;
                                } | null;
                            }[];
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                503: components["responses"]["ServiceUnavailable"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List audit events (admin)
         * @description Every event of the platform, stored once with its place in the hash chain. Newest first; pass `nextCursor` back as `cursor` for older events. Filters combine: `userId` matches the event subject, `type` is exact or a prefix ending in `.*`, `from` (inclusive) and `to` (exclusive) bound the event time. Payload members named like password, token, code, otp or secret are never stored.
         */
        get: {
            parameters: {
                query?: {
                    /** @description only events whose subject is this user id */
                    userId?: string;
                    /** @description an exact event type (`auth.login_failed`), or a prefix ending in `.*` (`auth.*`: every `auth.` type) */
                    type?: string;
                    /** @description events whose time is at or after this instant (ISO 8601 with offset) */
                    from?: string;
                    /** @description events whose time is before this instant (exclusive) */
                    to?: string;
                    limit?: number;
                    /** @description the `nextCursor` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["AuditEvent"][];
                            /** @description null on the last page */
                            nextCursor: string | null;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Verify the hash chain (admin)
         * @description Re-reads the whole trail in chain order, recomputing every hash and link. `ok: false` names the first entry that does not continue the chain, and why; nothing after it is checked. Takes time proportional to the trail.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ok: boolean;
                            /** @description entries checked; when broken, up to and including the first broken one */
                            checked: number;
                            /** @description the last entry that verified (seq 0 and 64 zeros when there is none): record it elsewhere to detect a later rewrite of the tail */
                            head: {
                                /** @description position in the chain, from 1, without gaps */
                                seq: number;
                                /** @description lower-case hex SHA-256 */
                                hash: string;
                            };
                            firstBroken?: {
                                /** @description position in the chain, from 1, without gaps */
                                seq: number;
                                eventId: string;
                                /** @description `hash_mismatch`: the entry was changed after it was stored; `prev_hash_mismatch`: the entry before it was changed, replaced or removed; `seq_gap`: entries are missing before it */
                                reason: "seq_gap" | "prev_hash_mismatch" | "hash_mismatch";
                            };
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/handoff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Hand my sign-in to an app on another origin
         * @description For the hosted pages after a sign-in whose `redirectTo` is on another origin: answers `location`, the `redirectTo` with a one-time `code` (60 s, single use, stored hashed) that the app exchanges at POST /api/v1/auth/handoff/exchange for a session of its own; no token travels in a URL. `redirectTo` must be in AUTH_REDIRECT_ALLOWLIST (400 `validation_failed` naming it). `codeChallenge` (recommended; the hosted login passes on its `?codeChallenge=`): base64url of the SHA-256 of a random verifier only the app knows (S256, as PKCE); the exchange then needs that `codeVerifier`, so a code seen on its way (history, logs, a Referer) is useless to anyone else. Needs a recent proof of identity (`403 reauth_required`: sign in again or POST /api/v1/auth/reauthenticate) and a session that has not ended (401). The app's session inherits this session's `auth_time` and ends no later than it, so a stolen access token can mint no session more recently proven or longer lived than its own, and none at all once its session has ended. A user with the admin role: 403 `handoff_admin_refused` unless AUTH_HANDOFF_ALLOW_ADMIN is on.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the app's return address, e.g. https://app.example.com/callback?state=… */
                        redirectTo: string;
                        /** @description S256: base64url (no padding) of the SHA-256 of the app's `codeVerifier`; binds the code to the app that holds the verifier */
                        codeChallenge?: string;
                    };
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description where to send the browser */
                            location: string;
                            /** @description seconds the code works */
                            expiresIn: number;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/handoff/exchange": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Trade the one-time code of a hosted sign-in for a token pair
         * @description The app at `redirectTo` sends the `code` it was given (once, within a minute) and gets the token pair of a new session of the user (`auth.login_succeeded` with method `handoff`). The session carries the `auth_time` of the hosted page's sign-in (a change that needs a recent proof may ask for one at once) and ends no later than that sign-in's session. The code is spent by the first try, whatever its outcome. 400 `handoff_code_invalid`: unknown, expired or spent; the hosted page's session has ended since (logout, password change, …); or a `codeVerifier` that is missing or does not hash to the `codeChallenge` the code was issued with (or given for a code issued without one). A disabled account: 403 `account_disabled`; an administrator without AUTH_HANDOFF_ALLOW_ADMIN: 403 `handoff_admin_refused`. The user service unavailable: 503 `unavailable` (the code is spent: send the person to the hosted login again, where they are still signed in).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        code: string;
                        /** @description the verifier whose S256 `codeChallenge` the code was issued with (RFC 7636: 43 to 128 characters) */
                        codeVerifier?: string;
                    };
                };
            };
            responses: {
                /** @description Success: TokenPair */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TokenPair"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/hosted-config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What the hosted sign-in pages offer
         * @description The return addresses allowed for `redirectTo` and the sign-in methods that are on, so a page can refuse a return address before the sign-in and show only the buttons that work. Public; it names no account.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description AUTH_REDIRECT_ALLOWLIST: a `redirectTo` on another origin must have one of these origins and its path at or below the entry's path; a path on the pages' own origin is always allowed */
                            redirectAllowlist: string[];
                            /** @description signing in with a passkey works (AUTH_WEBAUTHN_ORIGINS, or any localhost page outside production) */
                            passkeys: boolean;
                            /** @description an email link can sign in (POST /api/v1/auth/magic-link) */
                            magicLinks: boolean;
                            /** @description a link to an address without an account creates one (AUTH_MAGIC_LINK_SIGNUP) */
                            magicLinkSignup: boolean;
                            /** @description codes by SMS can be sent (SMS_ENABLED): phone sign-up, phone login, SMS two-step login */
                            sms: boolean;
                            /** @description identity providers to sign in with: GET /api/v1/auth/oidc/{id}/start */
                            oidcProviders: {
                                id: string;
                                /** @description the name to show on the button */
                                name: string;
                            }[];
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log in with an email or phone and a password
         * @description Emits `auth.login_succeeded` or `auth.login_failed`. Failed logins are limited per identifier and client: after a few, each further try of that client waits longer (429 `rate_limited` with `Retry-After` and `RateLimit-*`), and clients that never logged in to the account share an hourly ceiling per identifier. A client that logged in before (its device token, or its IP network) is not held back by other clients' failures. A successful login answers the device token in the `gh_device` cookie (HttpOnly, SameSite=Lax, Path=/api/v1/auth) and the `x-device-token` header; send it back with later logins. With two-step login on: `{ mfaRequired: true, challengeId, channel }` instead of tokens; answer it at `POST /api/v1/auth/mfa/verify`. A disabled account gets 403 `account_disabled` (after the right password only).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description the device token from an earlier login's `x-device-token` answer header, for clients without cookies */
                    "x-device-token"?: string;
                };
                path?: never;
                cookie?: never;
            };
            /** @description email or phone, and the password */
            requestBody: {
                content: {
                    "application/json": {
                        /** @example ada@example.com */
                        email?: string;
                        /**
                         * @description E.164
                         * @example +14155550123
                         */
                        phone?: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Success: TokenPair or MfaChallenge */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TokenPair"] | components["schemas"]["MfaChallenge"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the session of a refresh token */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the opaque refresh token from login or refresh */
                        refreshToken: string;
                    };
                };
            };
            responses: {
                /** @description Done; no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End every session of the bearer */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/magic-link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mail a sign-in link
         * @description Always 202 with the same body, whether or not the address has an account: the lookup and the mail happen in the background (an address without an account gets a link only when AUTH_MAGIC_LINK_SIGNUP is on; a disabled account gets none). The answer sets the `gh_magic_link` cookie (HttpOnly, SameSite=Lax, Path=/api/v1/auth/magic-link) that binds the link to this browser. Limited per client network (429 `rate_limited`) and per address (further requests within the hour are answered 202 and dropped). A `redirectTo` outside AUTH_REDIRECT_ALLOWLIST: 400 `validation_failed` naming it.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description the address to mail the link to; trimmed, domain lower-cased
                         * @example ada@example.com
                         */
                        email: string;
                        /** @description where the hosted page sends the browser back to with a one-time `code`; must be in AUTH_REDIRECT_ALLOWLIST */
                        redirectTo?: string;
                    };
                };
            };
            responses: {
                /** @description Accepted; the work continues in the background */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/magic-link/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with a magic link
         * @description With the `token` of the mailed link (an app that opens the link itself), or the `code` the hosted page returned to `redirectTo`. The token pair, or `{ mfaRequired: true, challengeId, channel }` when two-step login is on (answer it at POST /api/v1/auth/mfa/verify). A link is spent once: 400 `magic_link_invalid` (unknown), 410 `magic_link_expired`, 410 `magic_link_used`; each is audited (`auth.login_failed`). From another browser than the one that asked (no matching `gh_magic_link` cookie): 409 `magic_link_other_device` with `requestedFrom: { agent, network, at }` and nothing spent; show it to the person and send `confirmDevice: true` if they confirm. A disabled account: 403 `account_disabled`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description exactly one of `token` and `code` */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the `token` of the mailed link */
                        token?: string;
                        /** @description the one-time `code` the hosted page returned to `redirectTo` with */
                        code?: string;
                        /** @description with `token`: sign in although this browser is not the one that asked for the link (after showing the person `requestedFrom` of the 409 answer) */
                        confirmDevice?: boolean;
                    };
                };
            };
            responses: {
                /** @description Success: TokenPair or MfaChallenge */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TokenPair"] | components["schemas"]["MfaChallenge"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                409: components["responses"]["Conflict"];
                410: components["responses"]["Gone"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/mfa": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Is two-step login on? */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            enabled: boolean;
                            channel: ("sms" | "email" | "totp") | null;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        /**
         * Turn two-step login on or off
         * @description On, first call `{ enabled: true, channel }`: sms and email send a code; totp returns the secret for the authenticator app. Then the same call with `otp` confirms and returns recovery codes once. Off: `{ enabled: false, otp }` with a code of the current factor or a recovery code (without `otp`, sms and email send one); every call, on or off, also needs a recent proof of identity (`403 reauth_required`: `POST /api/v1/auth/reauthenticate` first), so a stolen access token can neither turn it off nor enrol its own authenticator or contact.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        enabled: boolean;
                        channel?: "sms" | "email" | "totp";
                        /** @description a 6-digit code, or a recovery code such as k7qd3-m2xpa */
                        otp?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            enabled: boolean;
                            channel?: "sms" | "email" | "totp";
                            message?: string;
                            /** @description totp: the base32 secret to enter in an authenticator app */
                            secret?: string;
                            /** @description totp: the same as an otpauth:// URI, for a QR code */
                            otpauthUrl?: string;
                            /** @description shown once, when two-step login is turned on: each works once instead of a code */
                            recoveryCodes?: string[];
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                410: components["responses"]["Gone"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/mfa/passkey": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Second step of a login with a passkey
         * @description Answers the login challenge with an assertion of one of the account's passkeys instead of a code; each try counts against the challenge's 5. 400 `mfa_unavailable` for a login a passkey started. A refused response answers 400 `passkey_rejected` whose `reason` names the failed check: `challenge_invalid` (unknown, expired or already used: a replay), `origin_mismatch`, `rp_id_mismatch`, `signature_invalid`, `counter_regressed`, `user_verification_missing`, `unknown_passkey` or `invalid_response`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        challengeId: string;
                        /** @description the PublicKeyCredential from navigator.credentials.get, as its toJSON() gives it */
                        credential: {
                            /** @description the credential id */
                            id: string;
                            /** @description the same, as the browser encodes it */
                            rawId: string;
                            /** @enum {string} */
                            type: "public-key";
                            authenticatorAttachment?: string;
                            clientExtensionResults: {
                                [key: string]: unknown;
                            };
                            response: {
                                /** @description base64url */
                                clientDataJSON: string;
                                /** @description base64url */
                                authenticatorData: string;
                                /** @description base64url */
                                signature: string;
                                userHandle?: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            responses: {
                /** @description Success: TokenPair */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TokenPair"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/mfa/passkey/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Second step of a login with a passkey: the options
         * @description For a login that answered `mfaRequired` (with `passkey: true`): WebAuthn request options limited to the account's passkeys. 400 `mfa_unavailable` when the account has none, or when a passkey started this login (it is answered with a code).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description the challengeId of a login that answered mfaRequired
                         */
                        challengeId: string;
                    };
                };
            };
            responses: {
                /** @description PublicKeyCredentialRequestOptionsJSON: pass to navigator.credentials.get (PublicKeyCredential.parseRequestOptionsFromJSON) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description base64url; single use, 5 minutes */
                            challenge: string;
                            timeout?: number;
                            rpId?: string;
                            allowCredentials?: {
                                id: string;
                                /** @description public-key */
                                type: string;
                                transports?: string[];
                            }[];
                            userVerification?: string;
                            extensions?: {
                                [key: string]: unknown;
                            };
                            hints?: string[];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/mfa/recovery-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace my recovery codes
         * @description New one-time recovery codes, shown once; the old ones stop working. Needs two-step login on (400 `mfa_unavailable`) and a recent proof of identity (`403 reauth_required`).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            recoveryCodes: string[];
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/mfa/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Second step of a login: the code for the challenge
         * @description Answers the `challengeId` of a login that returned `mfaRequired`. A recovery code works once in place of a code. 5 tries per challenge.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        challengeId: string;
                        /** @description a 6-digit code, or a recovery code such as k7qd3-m2xpa */
                        otp: string;
                    };
                };
            };
            responses: {
                /** @description Success: TokenPair */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TokenPair"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                410: components["responses"]["Gone"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/oidc/{provider}/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where the identity provider sends the browser back
         * @description Checks `state` (single use, from this browser), then the provider's tokens (signature, issuer, audience, expiry, `nonce`, PKCE). A provider account already linked signs in as its user; otherwise a verified email (`email_verified` true) links it to the account with that email, or creates one when the provider has `allowSignup`. Ends with 302 to `redirectTo` with a one-time `code` (valid 60 s; exchange it at POST /api/v1/auth/oidc/exchange), or with `error` (an error code of docs/errors.md) and `error_description`. A state that is unknown, spent, expired or from another browser: 400 `oidc_state_invalid` (no trusted place to return to).
         */
        get: {
            parameters: {
                query?: {
                    state?: string;
                    code?: string;
                    error?: string;
                    error_description?: string;
                };
                header?: never;
                path: {
                    /** @description the provider id of AUTH_OIDC_PROVIDERS */
                    provider: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description to `redirectTo` with `code`, or `error` and `error_description` (`Location` header) */
                302: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                404: components["responses"]["NotFound"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/oidc/{provider}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Start signing in with an identity provider
         * @description Redirects the browser to the provider (authorization code flow with PKCE S256, `state` and `nonce`). `redirectTo` must be in AUTH_REDIRECT_ALLOWLIST; the sign-in ends there. Sets the `gh_oidc` cookie (HttpOnly, SameSite=Lax, Path=/api/v1/auth/oidc): the callback must come back to the same browser. 503 `oidc_provider_unavailable` when the provider cannot be reached.
         */
        get: {
            parameters: {
                query: {
                    /** @description where the sign-in returns, with `code` or `error` */
                    redirectTo: string;
                };
                header?: never;
                path: {
                    /** @description the provider id of AUTH_OIDC_PROVIDERS */
                    provider: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description to the provider's authorization endpoint (`Location` header) */
                302: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                404: components["responses"]["NotFound"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/oidc/exchange": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Trade the one-time code of an identity-provider sign-in for the token pair
         * @description Single use. With two-step login on: `{ mfaRequired: true, challengeId, channel }` instead; answer it at `POST /api/v1/auth/mfa/verify`. Emits `auth.login_succeeded` with method `oidc`. A disabled account gets 403 `account_disabled`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Success: TokenPair or MfaChallenge */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TokenPair"] | components["schemas"]["MfaChallenge"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/oidc/providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The identity providers one can sign in with */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                name: string;
                            }[];
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/passkeys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List my passkeys */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: uuid */
                                id: string;
                                name: string;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description the last sign-in or second step with it */
                                lastUsedAt: string | null;
                                /** @description multiDevice (synced between devices) or singleDevice */
                                deviceType: string;
                                backedUp: boolean;
                            }[];
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/passkeys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove one of my passkeys
         * @description It can no longer sign in. Emits `auth.passkey_removed`; the user gets a security message. Needs a recent proof of identity (`403 reauth_required`). 404 for a passkey that is not the caller's.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        options?: never;
        head?: never;
        /** Rename one of my passkeys */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            id: string;
                            name: string;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description the last sign-in or second step with it */
                            lastUsedAt: string | null;
                            /** @description multiDevice (synced between devices) or singleDevice */
                            deviceType: string;
                            backedUp: boolean;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                404: components["responses"]["NotFound"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        trace?: never;
    };
    "/api/v1/auth/passkeys/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with a passkey
         * @description The assertion navigator.credentials.get made with the options of `login/options`. A passkey that verified the user (PIN, biometrics) counts as both factors; without user verification an account with two-step login on gets `{ mfaRequired, challengeId, channel }`. Emits `auth.login_succeeded` (method `passkey`), or `auth.login_failed` with the reason. A refused response answers 400 `passkey_rejected` whose `reason` names the failed check: `challenge_invalid` (unknown, expired or already used: a replay), `origin_mismatch`, `rp_id_mismatch`, `signature_invalid`, `counter_regressed`, `user_verification_missing`, `unknown_passkey` or `invalid_response`. A disabled account gets 403 `account_disabled`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description the PublicKeyCredential from navigator.credentials.get, as its toJSON() gives it */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the credential id */
                        id: string;
                        /** @description the same, as the browser encodes it */
                        rawId: string;
                        /** @enum {string} */
                        type: "public-key";
                        authenticatorAttachment?: string;
                        clientExtensionResults: {
                            [key: string]: unknown;
                        };
                        response: {
                            /** @description base64url */
                            clientDataJSON: string;
                            /** @description base64url */
                            authenticatorData: string;
                            /** @description base64url */
                            signature: string;
                            userHandle?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Success: TokenPair or MfaChallenge */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TokenPair"] | components["schemas"]["MfaChallenge"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/passkeys/login/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start signing in with a passkey
         * @description WebAuthn request options without a user: the authenticator offers the passkeys it holds for this site. The challenge works once, for 5 minutes.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description PublicKeyCredentialRequestOptionsJSON: pass to navigator.credentials.get (PublicKeyCredential.parseRequestOptionsFromJSON) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description base64url; single use, 5 minutes */
                            challenge: string;
                            timeout?: number;
                            rpId?: string;
                            allowCredentials?: {
                                id: string;
                                /** @description public-key */
                                type: string;
                                transports?: string[];
                            }[];
                            userVerification?: string;
                            extensions?: {
                                [key: string]: unknown;
                            };
                            hints?: string[];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/passkeys/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add a passkey
         * @description The credential navigator.credentials.create made with the options of `register/options` (same user). Emits `auth.passkey_added`; the user gets a security message. A refused response answers 400 `passkey_rejected` whose `reason` names the failed check: `challenge_invalid` (unknown, expired or already used: a replay), `origin_mismatch`, `rp_id_mismatch`, `signature_invalid`, `counter_regressed`, `user_verification_missing`, `unknown_passkey` or `invalid_response`. 409 `conflict` when it is already registered.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description the PublicKeyCredential from navigator.credentials.create, as its toJSON() gives it, and an optional name */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the credential id */
                        id: string;
                        /** @description the same, as the browser encodes it */
                        rawId: string;
                        /** @enum {string} */
                        type: "public-key";
                        authenticatorAttachment?: string;
                        clientExtensionResults: {
                            [key: string]: unknown;
                        };
                        response: {
                            /** @description base64url */
                            clientDataJSON: string;
                            /** @description base64url */
                            attestationObject: string;
                        } & {
                            [key: string]: unknown;
                        };
                        /** @description a name for the passkey (default: Passkey N) */
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            id: string;
                            name: string;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description the last sign-in or second step with it */
                            lastUsedAt: string | null;
                            /** @description multiDevice (synced between devices) or singleDevice */
                            deviceType: string;
                            backedUp: boolean;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                409: components["responses"]["Conflict"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/passkeys/register/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start adding a passkey
         * @description WebAuthn creation options for the bearer (a discoverable credential; the challenge works once, for 5 minutes). Needs a recent proof of identity (`403 reauth_required`), so a stolen access token cannot add its own passkey.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description PublicKeyCredentialCreationOptionsJSON: pass to navigator.credentials.create (PublicKeyCredential.parseCreationOptionsFromJSON) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            rp: {
                                name: string;
                                id?: string;
                            };
                            user: {
                                /** @description base64url user handle (the account id) */
                                id: string;
                                name: string;
                                displayName: string;
                            };
                            /** @description base64url; single use, 5 minutes */
                            challenge: string;
                            pubKeyCredParams: {
                                alg: number;
                                /** @enum {string} */
                                type: "public-key";
                            }[];
                            timeout?: number;
                            /** @description the passkeys the account already has */
                            excludeCredentials?: {
                                id: string;
                                /** @description public-key */
                                type: string;
                                transports?: string[];
                            }[];
                            authenticatorSelection?: {
                                [key: string]: unknown;
                            };
                            attestation?: string;
                            extensions?: {
                                [key: string]: unknown;
                            };
                            hints?: string[];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/phone/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Can this number log in with a code? (ValidatePhoneNumberLogin)
         * @description It tells whether a number has an account, so it is limited strictly: per client IP and per number by this service (whoever calls its port), and by the gateway. 429 `rate_limited` with `Retry-After`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description E.164
                         * @example +14155550123
                         */
                        phone: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            isValid: boolean;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/phone/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in with the code (LoginWithPhoneNumber) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description E.164
                         * @example +14155550123
                         */
                        phone: string;
                        /** @description the 6-digit code that was sent */
                        otp: string;
                    };
                };
            };
            responses: {
                /** @description Success: TokenPair */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TokenPair"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                410: components["responses"]["Gone"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/phone/login/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask for a login code
         * @description The same 202 whether or not the number is registered; only a registered and verified number gets a code (purpose `login`, flow `phone_login`: a code from /api/v1/otp never logs in).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description E.164
                         * @example +14155550123
                         */
                        phone: string;
                    };
                };
            };
            responses: {
                /** @description Accepted; the work continues in the background */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/phone/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign up with a phone number (SignupWithPhoneNumber)
         * @description Sends a code with purpose `verification`; answers at once, without waiting for the SMS.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description E.164
                         * @example +14155550123
                         */
                        phone: string;
                    };
                };
            };
            responses: {
                /** @description Accepted; the work continues in the background */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/phone/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm the number with its code and log in (VerifyPhoneNumber)
         * @description Only the code phone/signup sent (flow `phone_signup`) is accepted; a code from /api/v1/otp is not. Creates the account if the number has none and marks the phone verified. The same token pair as password login.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description E.164
                         * @example +14155550123
                         */
                        phone: string;
                        /** @description the 6-digit code that was sent */
                        otp: string;
                    };
                };
            };
            responses: {
                /** @description Success: TokenPair */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TokenPair"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                410: components["responses"]["Gone"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/reauthenticate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Prove who I am again, for a sensitive change
         * @description With the account's password, or the code sent by `POST /api/v1/auth/reauthenticate/start`. Answers a new pair for the same session whose access token carries a fresh `auth_time`: changes that answer `403 reauth_required` then go through for a few minutes (`REAUTH_MAX_AGE_SECONDS`). 5 wrong passwords per 15 minutes, then 429.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description exactly one of password or otp */
            requestBody: {
                content: {
                    "application/json": {
                        password?: string;
                        /** @description the code from POST /api/v1/auth/reauthenticate/start */
                        otp?: string;
                    };
                };
            };
            responses: {
                /** @description Success: TokenPair */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TokenPair"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                410: components["responses"]["Gone"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/reauthenticate/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send me a code to prove who I am again
         * @description To the verified phone (`sms`, the default when there is one) or the verified email. 400 `reauth_unavailable` when the account has no such contact.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        channel?: "sms" | "email";
                    };
                };
            };
            responses: {
                /** @description Accepted; the work continues in the background */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                            channel: "sms" | "email";
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Trade a refresh token for a new pair
         * @description The token is spent. Presented again within `AUTH_REFRESH_REUSE_INTERVAL_SECONDS` (10 s; two tabs, a retry), it gets a pair of its own in the same session; later, it ends its whole session (401 `token_reused`). A disabled account gets 403 `account_disabled`, and its session ends.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the opaque refresh token from login or refresh */
                        refreshToken: string;
                    };
                };
            };
            responses: {
                /** @description Success: TokenPair */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TokenPair"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List my active sessions
         * @description Every session of the bearer's account that can still be refreshed, most recently used first; `current` marks the caller's own.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: uuid */
                                id: string;
                                /**
                                 * Format: date-time
                                 * @description when the login happened
                                 */
                                createdAt: string;
                                /**
                                 * Format: date-time
                                 * @description the last login or refresh of this session
                                 */
                                lastUsedAt: string;
                                /** @description the client address at login, as the gateway saw it */
                                ip: string | null;
                                /** @description the client's User-Agent at login */
                                userAgent: string | null;
                                /** @description the session of the access token of this request */
                                current: boolean;
                            }[];
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * End one of my sessions
         * @description Its refresh token stops working at once and its access tokens are refused by the gateway within seconds. Emits `auth.session_ended` (`reason: user_ended`). 404 for a session that is not one of the caller's active ones (unknown, ended or someone else's alike).
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                404: components["responses"]["NotFound"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/users/{id}/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a user's active sessions (admin)
         * @description Every session of the user that can still be refreshed, most recently used first, as the user sees them in GET /api/v1/auth/sessions (`current` marks the administrator's own session, so it is true only on their own account). An unknown user has no sessions: `200` with no items.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the user's id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: uuid */
                                id: string;
                                /**
                                 * Format: date-time
                                 * @description when the login happened
                                 */
                                createdAt: string;
                                /**
                                 * Format: date-time
                                 * @description the last login or refresh of this session
                                 */
                                lastUsedAt: string;
                                /** @description the client address at login, as the gateway saw it */
                                ip: string | null;
                                /** @description the client's User-Agent at login */
                                userAgent: string | null;
                                /** @description the session of the access token of this request */
                                current: boolean;
                            }[];
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/users/{id}/sessions/{sid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * End a user's session (admin)
         * @description Its refresh token stops working at once and its access tokens are refused by the gateway within seconds. Emits `auth.session_ended` (`reason: admin_ended`, `by`: the administrator). 404 when the session is not an active one of that user.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the user's id */
                    id: string;
                    /** @description the session's id */
                    sid: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check an access token
         * @description The check the gateway makes (`verifyAccessToken` of `@app/kit/tokens`: EdDSA, typ at+jwt, kid, iss, aud, exp, iat not in the future, lifetime at most `AUTH_ACCESS_TTL_SECONDS`, jti), and that its session has not ended.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        token: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            valid: boolean;
                            sub?: string;
                            /** @description epoch seconds */
                            exp?: number;
                            roles?: string[];
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/email-verification/send": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a new verification link to an account's email
         * @description Always 202 with the same body, whether or not the address belongs to an account. A verified address gets no mail; an account gets at most `EMAIL_VERIFICATION_MAX_PER_HOUR` mails per hour. The new link (valid 24 hours) replaces every earlier one.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: email
                         * @example ada@example.com
                         */
                        email: string;
                    };
                };
            };
            responses: {
                /** @description Accepted; the work continues in the background */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/email-verification/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify an email address with the token from the link
         * @description Spends the token (single use). Emits `user.email_verified` and `email_verification.verified`. 400 `verification_token_invalid` for an unknown, expired, used or replaced token; 400 `verification_email_changed` when the account's email is no longer the one the link was sent to.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the token from the verification link */
                        token: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the address that is now verified */
                            email: string;
                            /** @enum {boolean} */
                            verified: true;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My account at a glance
         * @description Gathered by the gateway from the user, order, notification and auth services in parallel, each part within GATEWAY_AGGREGATE_TIMEOUT_MS. A part whose service fails is `{ "error": { "code" } }` and the rest still answers 200. Never cached.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: {
                                [key: string]: unknown;
                            } | {
                                error: {
                                    /** @description the service's problem code, `upstream_timeout` past the part's budget, or `unavailable` */
                                    code: string;
                                };
                            };
                            preferences: {
                                [key: string]: unknown;
                            } | {
                                error: {
                                    /** @description the service's problem code, `upstream_timeout` past the part's budget, or `unavailable` */
                                    code: string;
                                };
                            };
                            orders: {
                                [key: string]: unknown;
                            } | {
                                error: {
                                    /** @description the service's problem code, `upstream_timeout` past the part's budget, or `unavailable` */
                                    code: string;
                                };
                            };
                            notifications: {
                                [key: string]: unknown;
                            } | {
                                error: {
                                    /** @description the service's problem code, `upstream_timeout` past the part's budget, or `unavailable` */
                                    code: string;
                                };
                            };
                            sessions: {
                                [key: string]: unknown;
                            } | {
                                error: {
                                    /** @description the service's problem code, `upstream_timeout` past the part's budget, or `unavailable` */
                                    code: string;
                                };
                            };
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                503: components["responses"]["ServiceUnavailable"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every delivery (admin), newest first
         * @description Each message with its status, attempts, provider and last error, filtered by `status`, `channel` and `userId` (all optional); never its content, a code or a token. Pass `nextCursor` back as `cursor` for the next page.
         */
        get: {
            parameters: {
                query?: {
                    /** @description queued, sending, sent; failed = an attempt failed and another is due; dead = given up (a permanent failure, or attempts used up) */
                    status?: "queued" | "sending" | "sent" | "failed" | "dead";
                    channel?: "email" | "sms";
                    /** @description only the deliveries to this user */
                    userId?: string;
                    limit?: number;
                    /** @description the `nextCursor` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: uuid */
                                id: string;
                                channel: "email" | "sms";
                                template: string;
                                /** @description queued, sending, sent; failed = an attempt failed and another is due; dead = given up (a permanent failure, or attempts used up) */
                                status: "queued" | "sending" | "sent" | "failed" | "dead";
                                attempts: number;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                                sentAt: string | null;
                                userId: string | null;
                                to: string;
                                eventType: string | null;
                                provider: string | null;
                                lastError: string | null;
                                /** @description attempts allowed before it is given up on (dead) */
                                maxAttempts: number;
                            }[];
                            /** @description null on the last page */
                            nextCursor: string | null;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a dead delivery again (admin)
         * @description Queues it with a fresh set of attempts. 409 `conflict` when it is not dead.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Accepted; the work continues in the background */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            id: string;
                            channel: "email" | "sms";
                            template: string;
                            /** @description queued, sending, sent; failed = an attempt failed and another is due; dead = given up (a permanent failure, or attempts used up) */
                            status: "queued" | "sending" | "sent" | "failed" | "dead";
                            attempts: number;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                            sentAt: string | null;
                            userId: string | null;
                            to: string;
                            eventType: string | null;
                            provider: string | null;
                            lastError: string | null;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["Conflict"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/dead": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Deliveries given up on (admin), newest first
         * @description A permanent failure (an invalid number, a rejected address) or every attempt used up, with the last error. Retry one with `POST /api/v1/notifications/{id}/retry`.
         */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    /** @description the `nextCursor` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: uuid */
                                id: string;
                                channel: "email" | "sms";
                                template: string;
                                /** @description queued, sending, sent; failed = an attempt failed and another is due; dead = given up (a permanent failure, or attempts used up) */
                                status: "queued" | "sending" | "sent" | "failed" | "dead";
                                attempts: number;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                                sentAt: string | null;
                                userId: string | null;
                                to: string;
                                eventType: string | null;
                                provider: string | null;
                                lastError: string | null;
                            }[];
                            /** @description null on the last page */
                            nextCursor: string | null;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's delivery history, newest first
         * @description Channel, template, status, attempts and times of every message sent to the caller; never its content. Pass `nextCursor` back as `cursor` for the next page.
         */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    /** @description the `nextCursor` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: uuid */
                                id: string;
                                channel: "email" | "sms";
                                template: string;
                                /** @description queued, sending, sent; failed = an attempt failed and another is due; dead = given up (a permanent failure, or attempts used up) */
                                status: "queued" | "sending" | "sent" | "failed" | "dead";
                                attempts: number;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                                sentAt: string | null;
                            }[];
                            /** @description null on the last page */
                            nextCursor: string | null;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List orders, newest first
         * @description The caller's orders; an admin may pass `userId` for someone else's, or `all=true` for everyone's (403 for anyone else). Pass `nextCursor` back as `cursor` for the next page.
         */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    /** @description the `nextCursor` of the previous page */
                    cursor?: string;
                    /** @description whose orders (admin only); default: the caller's */
                    userId?: string;
                    /** @description every user's orders, newest first (admin only; not together with `userId`) */
                    all?: boolean;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Order"][];
                            /** @description null on the last page */
                            nextCursor: string | null;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        /**
         * Place an order
         * @description The total is computed here from the items. Emits `order.created`. With an `Idempotency-Key` the caller already used, nothing new is created: the same request gets the first order again (201, same body, header `Idempotent-Replayed: true`); a different request gets 422 `idempotency_key_reused`. Keys are per user.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description printable ASCII, unique per order you mean to place (a UUID does); a retry with the same key and body returns the first order instead of creating another */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        items: {
                            /**
                             * @description letters, digits, `.`, `_` and `-`
                             * @example TSHIRT-M-BLUE
                             */
                            sku: string;
                            quantity: number;
                            /**
                             * @description price of one unit in the currency's minor unit (cents for EUR, yen for JPY)
                             * @example 1999
                             */
                            unitPrice: number;
                        }[];
                        /**
                         * @description ISO 4217 code, upper case
                         * @example EUR
                         */
                        currency: string;
                    };
                };
            };
            responses: {
                /** @description Created: Order */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Order"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                422: components["responses"]["UnprocessableContent"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An order (the caller's own, or any for an admin)
         * @description Someone else's order is 404 `order_not_found`, as an unknown id is.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success: Order */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Order"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                404: components["responses"]["NotFound"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/otp/generate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a 6-digit code to a phone or email
         * @description Replaces any live code for the destination and purpose that this API sent. Valid 10 minutes, 5 tries. Codes from this API only validate here: they never complete a phone sign-up, login, reset or other flow, and their limits are kept apart from the owner's own codes. Limited per destination, per client IP and overall; SMS sends are also screened against SMS pumping (allowed countries, bursts to one number prefix, many numbers from one client, collapsed conversion). 429 `rate_limited` with `Retry-After`, and nothing is sent.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description an E.164 phone number (the code goes by SMS) or an email address
                         * @example +14155550123
                         */
                        destination: string;
                        /** @description what the code is for; a code only validates for its own purpose (default `verification`) */
                        purpose?: "verification" | "login" | "password_reset" | "mfa";
                        /** @description must match the destination: sms for a phone, email for an address */
                        channel?: "sms" | "email";
                    };
                };
            };
            responses: {
                /** @description Accepted; the work continues in the background: OtpSent */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OtpSent"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                410: components["responses"]["Gone"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/otp/regenerate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace the live code with a new one
         * @description The old code stops working at once. Wrong tries against earlier codes still count against the destination's hourly budget.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description an E.164 phone number (the code goes by SMS) or an email address
                         * @example +14155550123
                         */
                        destination: string;
                        /** @description what the code is for; a code only validates for its own purpose (default `verification`) */
                        purpose?: "verification" | "login" | "password_reset" | "mfa";
                    };
                };
            };
            responses: {
                /** @description Accepted; the work continues in the background: OtpSent */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OtpSent"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                410: components["responses"]["Gone"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/otp/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send the same live code again
         * @description The code is never in the response. 410 `otp_expired` when no code is live (regenerate instead); 429 within the cooldown.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description an E.164 phone number (the code goes by SMS) or an email address
                         * @example +14155550123
                         */
                        destination: string;
                        /** @description what the code is for; a code only validates for its own purpose (default `verification`) */
                        purpose?: "verification" | "login" | "password_reset" | "mfa";
                    };
                };
            };
            responses: {
                /** @description Accepted; the work continues in the background: OtpSent */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OtpSent"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                410: components["responses"]["Gone"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/otp/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check a code
         * @description Success spends the code. Wrong: 400 `otp_invalid` with `attemptsLeft`; expired or none: 410 `otp_expired`; 5 wrong tries: 429 `otp_attempts_exceeded`; too many failures for the destination in an hour: 429 `rate_limited`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description an E.164 phone number (the code goes by SMS) or an email address
                         * @example +14155550123
                         */
                        destination: string;
                        /** @description what the code is for; a code only validates for its own purpose (default `verification`) */
                        purpose?: "verification" | "login" | "password_reset" | "mfa";
                        /** @description the 6-digit code */
                        otp: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            valid: true;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                410: components["responses"]["Gone"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/password/change": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change the password of the logged-in user
         * @description Requires the current password. Every other session of the user ends; this one stays.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        currentPassword: string;
                        /** @description 8 to 128 characters, not one of the 10,000 most common passwords */
                        newPassword: string;
                    };
                };
            };
            responses: {
                /** @description Done; no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/password/forgot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask for a password reset by email or phone
         * @description Always 202 with the same body, whether or not the account exists. `link` sends a single-use link valid for 30 minutes; `otp` sends a 6-digit code for `POST /api/v1/password/reset`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description email or phone; the message goes to the same channel */
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: email
                         * @example ada@example.com
                         */
                        email?: string;
                        /**
                         * @description E.164
                         * @example +14155550123
                         */
                        phone?: string;
                        /**
                         * @description `link`: a single-use link (30 minutes); `otp`: a 6-digit code
                         * @default link
                         */
                        method?: "link" | "otp";
                    };
                };
            };
            responses: {
                /** @description Accepted; the work continues in the background */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/password/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set a new password with a reset token or code
         * @description Every session of the user ends, earlier reset links stop working, and a confirmation is sent (`password.changed`).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description `token` + `newPassword`, or `email`/`phone` + `otp` + `newPassword` */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the token from the reset link */
                        token?: string;
                        /**
                         * Format: email
                         * @example ada@example.com
                         */
                        email?: string;
                        /**
                         * @description E.164
                         * @example +14155550123
                         */
                        phone?: string;
                        /** @description the 6-digit code that was sent */
                        otp?: string;
                        /** @description 8 to 128 characters, not one of the 10,000 most common passwords */
                        newPassword: string;
                    };
                };
            };
            responses: {
                /** @description Done; no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                410: components["responses"]["Gone"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List and search users (admin)
         * @description Newest first. Pass `nextCursor` back as `cursor` for the next page.
         */
        get: {
            parameters: {
                query?: {
                    /** @description case-insensitive substring of the email, phone or name; `%` and `_` match literally */
                    query?: string;
                    limit?: number;
                    /** @description the `nextCursor` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["User"][];
                            /** @description null on the last page */
                            nextCursor: string | null;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A user (self, or any user for an admin) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success: User */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["User"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a user (admin)
         * @description As DELETE /api/v1/users/me without the proof: the account is erased, its sessions end, and `user.deleted` (`deletedBy: "admin"`) has every other service erase what it holds. An admin deletes their own account with DELETE /api/v1/users/me (409 `admin_self_moderation` here).
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["Conflict"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Disable a user (admin)
         * @description Every session of the user ends before the answer; login, refresh and phone login then answer 403 `account_disabled`. Idempotent. Emits `user.disabled` (`by`: the admin). An admin cannot disable themself (409 `admin_self_moderation`).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["Conflict"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enable a disabled user (admin)
         * @description The user can log in again (sessions ended by the disable stay ended). Idempotent. Emits `user.enabled`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Replace a user's roles (admin)
         * @description Roles must include "user"; an admin cannot remove their own admin role (409 `admin_self_demotion`). Access tokens already issued keep their roles until the next refresh (within 15 minutes). Emits `user.updated` with `changes: ["roles"]`.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description must include "user" */
                        roles: ("user" | "admin")[];
                    };
                };
            };
            responses: {
                /** @description Success: User */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["User"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["Conflict"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/email-change/undo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Undo an email change with the token from the link sent to the previous address
         * @description Restores the previous email (with its verification), whether or not the new one was verified yet, drops a pending one, ends every session of the account and spends the account's undo links created at or after this one (older ones stay live). Emits `user.email_change_undone`. Tokens are single use and live `USER_EMAIL_CHANGE_UNDO_TTL_SECONDS` (7 days); 400 `email_change_undo_invalid` otherwise; 409 `conflict`, with nothing ended or spent, when another account has registered the previous email since.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the token of the undo link */
                        token: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the restored email */
                            email: string;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                409: components["responses"]["Conflict"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's account */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success: User */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["User"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete the caller's account
         * @description Needs fresh proof in the body: the `password`, or an `otp` sent by POST /api/v1/auth/reauthenticate/start (checked against the verified phone, else the verified email, or the `channel` named). The account and its preferences are erased, every session ends, and `user.deleted` has every other service erase what it holds (the audit trail keeps a tombstone). 400 `password_incorrect` (429 `rate_limited` after 5 wrong passwords in 15 minutes), or the otp service's `otp_invalid` / `otp_expired`.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description exactly one of `password` and `otp` (a `reauth` code) */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the account's password */
                        password?: string;
                        /** @description the 6-digit code */
                        otp?: string;
                        /** @description with `otp`: where the code was sent (POST /api/v1/auth/reauthenticate/start); default the verified phone, else the verified email */
                        channel?: "sms" | "email";
                    };
                };
            };
            responses: {
                /** @description Done; no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                410: components["responses"]["Gone"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        options?: never;
        head?: never;
        /**
         * Change the caller's name, locale, email or phone
         * @description Name and locale change at once. A new email or phone needs a password or code check from the last `REAUTH_MAX_AGE_SECONDS` (POST /api/v1/auth/reauthenticate), or `currentPassword` in the body; otherwise 403 `reauth_required` (400 `password_incorrect` for a wrong `currentPassword`). It is stored as `pendingEmail` / `pendingPhone` and the current one stays in use until the new one is verified: a new email gets a verification link (the previous address is told, with a link to undo the change: `user.email_change_requested`), a new phone gets a code to send to POST /api/v1/users/me/phone/verify. Sending the current value again withdraws a pending change. Removing the phone (null) takes effect at once. Emits `user.updated` (`changes` may hold `pending_email` / `pending_phone`).
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description at least one field; a new email or phone is pending until verified, and changing either needs a recent proof */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description null (or blank) removes it */
                        name?: string | null;
                        /**
                         * @description an email address; trimmed, domain lower-cased
                         * @example ada@example.com
                         */
                        email?: string;
                        /** @description null removes it, if the account has an email */
                        phone?: string | null;
                        /**
                         * @description the language messages are written in, e.g. `en` or `de` (unknown ones fall back to English)
                         * @example de
                         */
                        locale?: string;
                        /** @description the account's password: proof for an email or phone change when the session's last check is not recent */
                        currentPassword?: string;
                    };
                };
            };
            responses: {
                /** @description Success: User */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["User"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                409: components["responses"]["Conflict"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        trace?: never;
    };
    "/api/v1/users/me/phone/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm a new phone with the code sent to it
         * @description The pending phone becomes the phone, verified; emits `user.updated` (`changes: ["phone"]`, with `previousPhone` when the previous one was verified: it is told) and `user.phone_verified`. 409 `phone_change_not_pending` when no new phone waits; the otp service's `otp_invalid` / `otp_expired` for a wrong code.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the 6-digit code */
                        otp: string;
                    };
                };
            };
            responses: {
                /** @description Success: User */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["User"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                409: components["responses"]["Conflict"];
                410: components["responses"]["Gone"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/me/preferences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's notification preferences
         * @description Until saved: email on, sms on when the account has a phone. A channel the account has no address for reads as off.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description master switches per channel */
                            channels: {
                                email: boolean;
                                sms: boolean;
                            };
                            /**
                             * @description per event type (`area.fact`: lower-case letters and `_` either side of one dot, e.g. `user.updated`), the channels to use; at most 50 types
                             * @example {
                             *       "user.updated": [
                             *         "email"
                             *       ]
                             *     }
                             */
                            events: {
                                [key: string]: ("email" | "sms")[];
                            };
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        /**
         * Replace the caller's notification preferences
         * @description A channel can be enabled only when the account has an address for it. Emits `user.updated` with `changes: ["preferences"]`.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description master switches per channel */
                        channels: {
                            email: boolean;
                            sms: boolean;
                        };
                        /**
                         * @description per event type (`area.fact`: lower-case letters and `_` either side of one dot, e.g. `user.updated`), the channels to use; at most 50 types
                         * @example {
                         *       "user.updated": [
                         *         "email"
                         *       ]
                         *     }
                         */
                        events?: {
                            [key: string]: ("email" | "sms")[];
                        };
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description master switches per channel */
                            channels: {
                                email: boolean;
                                sms: boolean;
                            };
                            /**
                             * @description per event type (`area.fact`: lower-case letters and `_` either side of one dot, e.g. `user.updated`), the channels to use; at most 50 types
                             * @example {
                             *       "user.updated": [
                             *         "email"
                             *       ]
                             *     }
                             */
                            events: {
                                [key: string]: ("email" | "sms")[];
                            };
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register with an email and/or a phone number
         * @description Emits `user.registered`, which sends a welcome message and an email-verification link.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description email and/or phone; password is required with email */
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description an email address; trimmed, domain lower-cased
                         * @example ada@example.com
                         */
                        email?: string;
                        /**
                         * @description E.164 phone number
                         * @example +14155550123
                         */
                        phone?: string;
                        /** @description 8 to 128 characters (Unicode code points); not one of the 10,000 most common passwords, nor the account's email or phone */
                        password?: string;
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description Created: User */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["User"];
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                409: components["responses"]["Conflict"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                415: components["responses"]["UnsupportedMediaType"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/dev/inbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Messages captured instead of sent (development only), newest first; the gateway shows them as a page to a browser (/dev/inbox) */
        get: {
            parameters: {
                query?: {
                    /** @description recipient (email or E.164 phone) */
                    to?: string;
                    channel?: "email" | "sms";
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                channel: string;
                                to: string;
                                subject: string | null;
                                text: string;
                                html: string | null;
                                createdAt: string;
                            }[];
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        put?: never;
        post?: never;
        /** Empty the dev inbox */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done; no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                413: components["responses"]["PayloadTooLarge"];
                414: components["responses"]["UriTooLong"];
                429: components["responses"]["TooManyRequests"];
                431: components["responses"]["RequestHeaderFieldsTooLarge"];
                502: components["responses"]["BadGateway"];
                503: components["responses"]["ServiceUnavailable"];
                504: components["responses"]["GatewayTimeout"];
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rpc/auth.v1.AuthService/GetProfile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * AuthService.GetProfile (Connect RPC)
         * @description The Connect protocol with JSON (`content-type: application/json`); gRPC and gRPC-Web clients use the same path. Service `auth.v1.AuthService`.
         */
        post: operations["auth.v1.AuthService.GetProfile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rpc/auth.v1.AuthService/LoginWithPhoneNumber": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * AuthService.LoginWithPhoneNumber (Connect RPC)
         * @description The Connect protocol with JSON (`content-type: application/json`); gRPC and gRPC-Web clients use the same path. Service `auth.v1.AuthService`.
         */
        post: operations["auth.v1.AuthService.LoginWithPhoneNumber"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rpc/auth.v1.AuthService/SignupWithPhoneNumber": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * AuthService.SignupWithPhoneNumber (Connect RPC)
         * @description The Connect protocol with JSON (`content-type: application/json`); gRPC and gRPC-Web clients use the same path. Service `auth.v1.AuthService`.
         */
        post: operations["auth.v1.AuthService.SignupWithPhoneNumber"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rpc/auth.v1.AuthService/ValidatePhoneNumberLogin": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * AuthService.ValidatePhoneNumberLogin (Connect RPC)
         * @description The Connect protocol with JSON (`content-type: application/json`); gRPC and gRPC-Web clients use the same path. Service `auth.v1.AuthService`.
         */
        post: operations["auth.v1.AuthService.ValidatePhoneNumberLogin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rpc/auth.v1.AuthService/VerifyPhoneNumber": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * AuthService.VerifyPhoneNumber (Connect RPC)
         * @description The Connect protocol with JSON (`content-type: application/json`); gRPC and gRPC-Web clients use the same path. Service `auth.v1.AuthService`.
         */
        post: operations["auth.v1.AuthService.VerifyPhoneNumber"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rpc/otp.v1.OtpService/GenerateOtp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * OtpService.GenerateOtp (Connect RPC)
         * @description The Connect protocol with JSON (`content-type: application/json`); gRPC and gRPC-Web clients use the same path. Service `otp.v1.OtpService`.
         */
        post: operations["otp.v1.OtpService.GenerateOtp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Problem: {
            type: string;
            title: string;
            status: number;
            detail: string;
            /** @description stable machine-readable error code, see docs/errors.md */
            code: string;
            requestId: string;
            errors?: {
                path: string;
                message: string;
            }[];
        } & {
            [key: string]: unknown;
        };
        User: {
            /** Format: uuid */
            id: string;
            email: string | null;
            phone: string | null;
            name: string | null;
            emailVerified: boolean;
            phoneVerified: boolean;
            roles: string[];
            locale: string;
            /** @description disabled by an administrator: login, refresh and phone login are refused */
            disabled: boolean;
            /** @description a new email waiting for its verification link to be used; `email` stays in use until then */
            pendingEmail: string | null;
            /** @description a new phone waiting for its code (POST /api/v1/users/me/phone/verify); `phone` stays in use until then */
            pendingPhone: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        TokenPair: {
            /** @description EdDSA JWT (typ at+jwt) */
            accessToken: string;
            /** @description opaque; single use, rotated on every refresh */
            refreshToken: string;
            /** @enum {string} */
            tokenType: "Bearer";
            /** @description access token lifetime in seconds */
            expiresIn: number;
        };
        MfaChallenge: {
            /** @enum {boolean} */
            mfaRequired: true;
            /**
             * Format: uuid
             * @description answer it at POST /api/v1/auth/mfa/verify within 5 minutes
             */
            challengeId: string;
            /** @description where the code is: sent by SMS or email, or shown by the authenticator app */
            channel: "sms" | "email" | "totp";
            /**
             * @description the user has a passkey, which can answer the challenge instead of a code: POST /api/v1/auth/mfa/passkey/options, then /api/v1/auth/mfa/passkey
             * @enum {boolean}
             */
            passkey?: true;
        };
        OtpSent: {
            message: string;
            /** @description seconds until the code expires */
            expiresIn: number;
            /** @description seconds before another send is accepted */
            resendAfter: number;
        };
        AuditEvent: {
            /** @description position in the chain, from 1, without gaps */
            seq: number;
            /** @description the event id (CloudEvents `id`, a UUIDv7 for platform events) */
            id: string;
            /** @example auth.login_succeeded */
            type: string;
            /** @example /services/auth */
            source: string;
            /** @description the user id, where the event has one */
            subject: string | null;
            /**
             * Format: date-time
             * @description when the event happened, as its producer said (UTC, milliseconds)
             */
            time: string;
            /** @description the event payload as stored: members named like password, token, code, otp or secret are removed before hashing; `{ "erased": true }` once the user it is about was deleted */
            data: unknown;
            /** @description SHA-256 of the canonical JSON of the data as first stored; it stays when the data is erased. null for an entry stored before data hashes existed (its hash then covers `data`) */
            dataHash: string | null;
            /** @description when the data was erased because the user was deleted; null while it is as stored */
            erasedAt: string | null;
            /** @description lower-case hex SHA-256 */
            prevHash: string;
            /** @description SHA-256 of the canonical JSON (keys sorted, no whitespace) of `{ dataHash, id, prevHash, source, subject, time, type }` */
            hash: string;
            /**
             * Format: date-time
             * @description when the audit service stored it (not covered by the hash)
             */
            receivedAt: string;
        };
        Order: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            userId: string;
            items: {
                /**
                 * @description letters, digits, `.`, `_` and `-`
                 * @example TSHIRT-M-BLUE
                 */
                sku: string;
                quantity: number;
                /**
                 * @description price of one unit in the currency's minor unit (cents for EUR, yen for JPY)
                 * @example 1999
                 */
                unitPrice: number;
            }[];
            /** @description sum of quantity × unitPrice, in minor units, computed by the server */
            total: number;
            currency: string;
            /** @enum {string} */
            status: "created";
            /** Format: date-time */
            createdAt: string;
        };
    };
    responses: {
        /** @description The request is invalid: `validation_failed` names each field in `errors`; `malformed_json`, or a code of this route */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Not authenticated: no valid access token (`unauthorized`), or wrong credentials */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Not allowed: `forbidden`, `account_disabled`, `reauth_required`, or a code of this route */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Not found (`not_found`) */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Conflicts with the current state (`conflict`, or a code of this route) */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Expired or already used (`otp_expired`, or a code of this route) */
        Gone: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The body is larger than the limit (`payload_too_large`) */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The URL (path and query) is longer than the gateway accepts (`uri_too_long`) */
        UriTooLong: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The body is not JSON (`unsupported_media_type`) */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Understood but not processable (a code of this route) */
        UnprocessableContent: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Too many requests (`rate_limited`, or a code of this route); `Retry-After` says when to try again */
        TooManyRequests: {
            headers: {
                /** @description seconds until a request of this kind is accepted again */
                "Retry-After"?: number;
                /** @description requests allowed in the window of the limit that was reached (gateway limits) */
                "RateLimit-Limit"?: number;
                /** @description requests left in that window */
                "RateLimit-Remaining"?: number;
                /** @description seconds until that window resets */
                "RateLimit-Reset"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request headers are larger than the server accepts (`header_too_large`) */
        RequestHeaderFieldsTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The upstream service answered something unusable (`bad_gateway`) */
        BadGateway: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description A backend is unavailable right now (`unavailable`); `Retry-After` says when to try again */
        ServiceUnavailable: {
            headers: {
                /** @description seconds until trying again makes sense */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The upstream service did not answer in time (`upstream_timeout`) */
        GatewayTimeout: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    "auth.v1.AuthService.GetProfile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Success: GetProfileResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id?: string;
                        email?: string;
                        phoneNumber?: string;
                        name?: string;
                        emailVerified?: boolean;
                        phoneVerified?: boolean;
                        roles?: string[];
                    };
                };
            };
            /** @description The request is invalid or a precondition failed (`invalid_argument`, `failed_precondition`); the platform code is in `x-error-code` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated (`unauthenticated`); the platform code is in `x-error-code` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (`permission_denied`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                };
            };
            /** @description Not found (`not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                };
            };
            /** @description Conflicts with the current state (`already_exists`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            414: components["responses"]["UriTooLong"];
            /** @description The content type is not one a unary Connect procedure takes (`application/json` or `application/proto`, UTF-8) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (`resource_exhausted`); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            502: components["responses"]["BadGateway"];
            /** @description A backend is unavailable (`unavailable`); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            504: components["responses"]["GatewayTimeout"];
        };
    };
    "auth.v1.AuthService.LoginWithPhoneNumber": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description also accepted as `phone_number` */
                    phoneNumber?: string;
                    otp?: string;
                };
            };
        };
        responses: {
            /** @description Success: LoginWithPhoneNumberResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        message?: string;
                        /** TokenPair */
                        tokens?: {
                            sessionToken?: string;
                            accessToken?: string;
                            refreshToken?: string;
                            tokenType?: string;
                            /** Format: int32 */
                            expiresIn?: number;
                        };
                        sessionToken?: string;
                    };
                };
            };
            /** @description The request is invalid or a precondition failed (`invalid_argument`, `failed_precondition`); the platform code is in `x-error-code` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated (`unauthenticated`); the platform code is in `x-error-code` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (`permission_denied`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                };
            };
            /** @description Not found (`not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                };
            };
            /** @description Conflicts with the current state (`already_exists`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            414: components["responses"]["UriTooLong"];
            /** @description The content type is not one a unary Connect procedure takes (`application/json` or `application/proto`, UTF-8) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (`resource_exhausted`); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            502: components["responses"]["BadGateway"];
            /** @description A backend is unavailable (`unavailable`); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            504: components["responses"]["GatewayTimeout"];
        };
    };
    "auth.v1.AuthService.SignupWithPhoneNumber": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description also accepted as `phone_number` */
                    phoneNumber?: string;
                };
            };
        };
        responses: {
            /** @description Success: SignupWithPhoneNumberResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        message?: string;
                    };
                };
            };
            /** @description The request is invalid or a precondition failed (`invalid_argument`, `failed_precondition`); the platform code is in `x-error-code` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated (`unauthenticated`); the platform code is in `x-error-code` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (`permission_denied`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                };
            };
            /** @description Not found (`not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                };
            };
            /** @description Conflicts with the current state (`already_exists`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            414: components["responses"]["UriTooLong"];
            /** @description The content type is not one a unary Connect procedure takes (`application/json` or `application/proto`, UTF-8) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (`resource_exhausted`); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            502: components["responses"]["BadGateway"];
            /** @description A backend is unavailable (`unavailable`); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            504: components["responses"]["GatewayTimeout"];
        };
    };
    "auth.v1.AuthService.ValidatePhoneNumberLogin": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description also accepted as `phone_number` */
                    phoneNumber?: string;
                };
            };
        };
        responses: {
            /** @description Success: ValidatePhoneNumberLoginResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        isValid?: boolean;
                    };
                };
            };
            /** @description The request is invalid or a precondition failed (`invalid_argument`, `failed_precondition`); the platform code is in `x-error-code` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated (`unauthenticated`); the platform code is in `x-error-code` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (`permission_denied`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                };
            };
            /** @description Not found (`not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                };
            };
            /** @description Conflicts with the current state (`already_exists`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            414: components["responses"]["UriTooLong"];
            /** @description The content type is not one a unary Connect procedure takes (`application/json` or `application/proto`, UTF-8) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (`resource_exhausted`); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            502: components["responses"]["BadGateway"];
            /** @description A backend is unavailable (`unavailable`); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            504: components["responses"]["GatewayTimeout"];
        };
    };
    "auth.v1.AuthService.VerifyPhoneNumber": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description also accepted as `phone_number` */
                    phoneNumber?: string;
                    otp?: string;
                };
            };
        };
        responses: {
            /** @description Success: VerifyPhoneNumberResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** TokenPair */
                        tokens?: {
                            sessionToken?: string;
                            accessToken?: string;
                            refreshToken?: string;
                            tokenType?: string;
                            /** Format: int32 */
                            expiresIn?: number;
                        };
                        sessionToken?: string;
                    };
                };
            };
            /** @description The request is invalid or a precondition failed (`invalid_argument`, `failed_precondition`); the platform code is in `x-error-code` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated (`unauthenticated`); the platform code is in `x-error-code` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (`permission_denied`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                };
            };
            /** @description Not found (`not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                };
            };
            /** @description Conflicts with the current state (`already_exists`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            414: components["responses"]["UriTooLong"];
            /** @description The content type is not one a unary Connect procedure takes (`application/json` or `application/proto`, UTF-8) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (`resource_exhausted`); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            502: components["responses"]["BadGateway"];
            /** @description A backend is unavailable (`unavailable`); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            504: components["responses"]["GatewayTimeout"];
        };
    };
    "otp.v1.OtpService.GenerateOtp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description also accepted as `phone_number` */
                    phoneNumber?: string;
                    email?: string;
                    purpose?: string;
                };
            };
        };
        responses: {
            /** @description Success: GenerateOtpResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        message?: string;
                        /** Format: int32 */
                        expiresIn?: number;
                        /** Format: int32 */
                        resendAfter?: number;
                    };
                };
            };
            /** @description The request is invalid or a precondition failed (`invalid_argument`, `failed_precondition`); the platform code is in `x-error-code` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not authenticated (`unauthenticated`); the platform code is in `x-error-code` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not allowed (`permission_denied`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                };
            };
            /** @description Not found (`not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                };
            };
            /** @description Conflicts with the current state (`already_exists`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            414: components["responses"]["UriTooLong"];
            /** @description The content type is not one a unary Connect procedure takes (`application/json` or `application/proto`, UTF-8) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (`resource_exhausted`); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            502: components["responses"]["BadGateway"];
            /** @description A backend is unavailable (`unavailable`); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists" | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";
                        message?: string;
                        details?: Record<string, never>[];
                    };
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            504: components["responses"]["GatewayTimeout"];
        };
    };
}
