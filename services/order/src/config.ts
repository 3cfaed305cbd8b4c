import { Type } from '@sinclair/typebox'

/** The order service has no settings of its own; the base ones apply. */
export const OrderConfigSchema = Type.Object({})
