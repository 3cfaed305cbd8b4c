import type { Db, Queryable } from '@app/kit/db'

/** A sign-in on its way through the provider. */
export interface OidcFlow {
  stateHash: string
  provider: string
  bindingHash: string
  nonce: string
  codeVerifier: string
  redirectUri: string
  redirectTo: string
  createdAt: Date
  expiresAt: Date
}

interface FlowRow {
  state_hash: string
  provider: string
  binding_hash: string
  nonce: string
  code_verifier: string
  redirect_uri: string
  redirect_to: string
  created_at: Date
  expires_at: Date
}

const toFlow = (r: FlowRow): OidcFlow => ({
  stateHash: r.state_hash,
  provider: r.provider,
  bindingHash: r.binding_hash,
  nonce: r.nonce,
  codeVerifier: r.code_verifier,
  redirectUri: r.redirect_uri,
  redirectTo: r.redirect_to,
  createdAt: r.created_at,
  expiresAt: r.expires_at
})

/** The auth service's OIDC tables: flows, one-time exchange codes and linked identities. */
export function createOidcStore (db: Db) {
  return {
    async insertFlow (flow: OidcFlow): Promise<void> {
      await db.query(`insert into oidc_flows (state_hash, provider, binding_hash, nonce, code_verifier, redirect_uri, redirect_to, created_at, expires_at)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [flow.stateHash, flow.provider, flow.bindingHash, flow.nonce, flow.codeVerifier, flow.redirectUri, flow.redirectTo, flow.createdAt, flow.expiresAt])
    },

    /**
     * Spends the flow of a state, once: undefined when it is unknown, expired,
     * already spent, or started by another browser (its binding differs; then
     * it stays unspent, so the right browser can still finish).
     */
    async takeFlow (stateHash: string, bindingHash: string, at: Date): Promise<OidcFlow | undefined> {
      const { rows } = await db.query<FlowRow>(`update oidc_flows set used_at = $3
        where state_hash = $1 and binding_hash = $2 and used_at is null and expires_at > $3
        returning state_hash, provider, binding_hash, nonce, code_verifier, redirect_uri, redirect_to, created_at, expires_at`,
      [stateHash, bindingHash, at])
      return rows[0] && toFlow(rows[0])
    },

    async insertExchangeCode (code: { codeHash: string, userId: string, provider: string, createdAt: Date, expiresAt: Date }): Promise<void> {
      await db.query('insert into oidc_exchange_codes (code_hash, user_id, provider, created_at, expires_at) values ($1, $2, $3, $4, $5)',
        [code.codeHash, code.userId, code.provider, code.createdAt, code.expiresAt])
    },

    /** Spends an exchange code, once; its user and provider, or undefined when unknown, expired or already spent. */
    async takeExchangeCode (codeHash: string, at: Date): Promise<{ userId: string, provider: string } | undefined> {
      const { rows } = await db.query<{ user_id: string, provider: string }>(`update oidc_exchange_codes set used_at = $2
        where code_hash = $1 and used_at is null and expires_at > $2 returning user_id, provider`, [codeHash, at])
      return rows[0] && { userId: rows[0].user_id, provider: rows[0].provider }
    },

    /** The user a provider account is linked to, its last sign-in noted; undefined when not linked. */
    async signInIdentity (provider: string, subject: string, at: Date): Promise<string | undefined> {
      const { rows } = await db.query<{ user_id: string }>(`update oidc_identities set last_login_at = $3
        where provider = $1 and subject = $2 returning user_id`, [provider, subject, at])
      return rows[0]?.user_id
    },

    /**
     * Links a provider account to a user; a concurrent link of the same account keeps the first. Answers the linked
     * user, and whether this call made the link (false when the account was linked already).
     */
    async link (identity: { provider: string, subject: string, userId: string, email: string | null }, at: Date, q: Queryable = db): Promise<{ userId: string, inserted: boolean }> {
      // `xmax = 0`: the row was inserted by this statement, not updated by its `on conflict` branch.
      const { rows } = await q.query<{ user_id: string, inserted: boolean }>(`insert into oidc_identities (provider, subject, user_id, email, created_at, last_login_at)
        values ($1, $2, $3, $4, $5, $5)
        on conflict (provider, subject) do update set last_login_at = excluded.last_login_at
        returning user_id, (xmax = 0) as inserted`, [identity.provider, identity.subject, identity.userId, identity.email, at])
      return { userId: rows[0]!.user_id, inserted: rows[0]!.inserted }
    },

    /** A link whose user is gone (the deletion event not yet consumed): removed so the account can be found again. */
    async unlink (provider: string, subject: string): Promise<void> {
      await db.query('delete from oidc_identities where provider = $1 and subject = $2', [provider, subject])
    },

    /** A deleted account: its linked identities and unspent exchange codes. */
    async eraseUser (userId: string, q: Queryable = db): Promise<void> {
      await q.query('delete from oidc_identities where user_id = $1', [userId])
      await q.query('delete from oidc_exchange_codes where user_id = $1', [userId])
    }
  }
}

export type OidcStore = ReturnType<typeof createOidcStore>
