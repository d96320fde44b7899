import type { Resolvers } from '../__generated__/resolvers-types.js';
import { DateScalar } from '../graphql/scalars.js';
import { Invitation } from './Invitation.js';
import { Mutation } from './Mutation.js';
import { ReactivateUserPayload, RevokeUserAccessPayload } from './payloads.js';
import { Query } from './Query.js';
import { User } from './User.js';

export const resolvers: Resolvers = {
  Date: DateScalar,
  Query,
  Mutation,
  User,
  Invitation,
  RevokeUserAccessPayload,
  ReactivateUserPayload,
};
