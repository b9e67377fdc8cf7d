import { headers } from 'next/headers';

/** The signed-in admin, as the panel knows them; here, the id its own proxy forwards. */
export async function currentAdminId(): Promise<string> {
  return (await headers()).get('x-admin-user-id') ?? 'next-admin-example';
}
