/**
 * What resolvers hand to GraphQL where it differs from Avara's wire shapes (codegen's mappers).
 */

/**
 * A revoke or reactivate answer, plus whom it was about: `user` is read afresh, only when
 * selected, so that failing to read it fails that field and not the news of what happened.
 */
export interface UserAccessChange {
  success: boolean;
  message: string | null;
  userId: string;
}
