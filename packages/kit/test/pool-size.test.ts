import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { BaseConfigSchema, loadConfig } from '../src/config/index.ts'
import { MIN_POOL_SIZE, POOL_WEIGHTS, poolSize } from '../src/db/pool-size.ts'
import { servicePoolSize } from '../src/service/service-db.ts'

const STATEFUL = Object.keys(POOL_WEIGHTS)
const TOTAL_WEIGHT = Object.values(POOL_WEIGHTS).reduce((a, b) => a + b, 0)

/** Connections the whole deployment may open: every instance's pool, full. */
function total (instances: Record<string, number>, budget: number): number {
  return STATEFUL.reduce((sum, service) => {
    const n = instances[service] ?? 1
    return sum + n * poolSize({ service, budget, instances: n })
  }, 0)
}

describe('pool sizes from DB_CONNECTION_BUDGET', () => {
  it('gives each service its weighted share of the budget', () => {
    assert.equal(poolSize({ service: 'user', budget: 80, instances: 1 }), 16)
    assert.equal(poolSize({ service: 'order', budget: 80, instances: 1 }), 10)
    assert.equal(poolSize({ service: 'audit', budget: 80, instances: 1 }), 5)
  })

  it('divides the share among the instances, rounding down', () => {
    assert.equal(poolSize({ service: 'user', budget: 80, instances: 3 }), 5)
    assert.equal(poolSize({ service: 'order', budget: 80, instances: 3 }), 3)
  })

  it('never goes below the minimum a transaction next to the outbox relay needs', () => {
    assert.equal(poolSize({ service: 'password', budget: 80, instances: 20 }), MIN_POOL_SIZE)
    assert.equal(poolSize({ service: 'audit', budget: 1, instances: 1 }), MIN_POOL_SIZE)
  })

  it('lets an explicit DB_POOL_SIZE win', () => {
    assert.equal(poolSize({ service: 'user', budget: 80, instances: 3, explicit: 7 }), 7)
  })

  it('gives a service it does not know the smallest weight', () => {
    assert.equal(poolSize({ service: 'test-service', budget: 150, instances: 1 }), 10)
  })

  it('keeps the all-in-one process and one instance per service within the default budget', () => {
    assert.ok(total({}, 80) <= 80, `${total({}, 80)} connections`)
  })

  it('keeps every instance count within the budget while shares stay above the minimum', () => {
    for (const budget of [40, 80, 200, 1000]) {
      for (const n of [1, 2, 3, 4]) {
        const instances = Object.fromEntries(STATEFUL.map(s => [s, n]))
        const atMinimum = STATEFUL.some(service => Math.floor(budget * POOL_WEIGHTS[service]! / (TOTAL_WEIGHT * n)) < MIN_POOL_SIZE)
        if (!atMinimum) assert.ok(total(instances, budget) <= budget, `budget ${budget}, ${n} instances: ${total(instances, budget)}`)
      }
    }
  })
})

describe('servicePoolSize', () => {
  it('reads DB_CONNECTION_BUDGET, SERVICE_INSTANCES and DB_POOL_SIZE from the config', () => {
    assert.equal(servicePoolSize('user', loadConfig(BaseConfigSchema, {})), 16)
    assert.equal(servicePoolSize('user', loadConfig(BaseConfigSchema, { SERVICE_INSTANCES: '3' })), 5)
    assert.equal(servicePoolSize('user', loadConfig(BaseConfigSchema, { DB_CONNECTION_BUDGET: '300', SERVICE_INSTANCES: '2' })), 30)
    assert.equal(servicePoolSize('user', loadConfig(BaseConfigSchema, { DB_POOL_SIZE: '4', SERVICE_INSTANCES: '3' })), 4)
  })
})
