import { useParams } from 'react-router';
import { AcceptInvite } from '@/features/rooms';

export function InviteRoute() {
  const { code = '' } = useParams();
  return <AcceptInvite key={code} code={code} />;
}
