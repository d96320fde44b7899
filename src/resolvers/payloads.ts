import type {
  ReactivateUserPayloadResolvers,
  RevokeUserAccessPayloadResolvers,
} from '../__generated__/resolvers-types.js';
import type { GatewayContext } from '../context.js';
import type { UserAccessChange } from '../graphql/models.js';

/** The user as Avara has it now, read only when selected (the loader was cleared by the write). */
const user = ({ userId }: UserAccessChange, _args: unknown, { userLoader }: GatewayContext) =>
  userLoader.load(userId);

export const RevokeUserAccessPayload: RevokeUserAccessPayloadResolvers = { user };
export const ReactivateUserPayload: ReactivateUserPayloadResolvers = { user };
