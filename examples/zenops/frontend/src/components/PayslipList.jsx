import useSWR from 'swr';
import { fetcher } from '../api/fetcher';

export function PayslipList({ userId }) {
  const { data } = useSWR(userId ? '/api/payroll/payslips/my' : null, fetcher);
  const { data: runs } = useSWR(['/api/payroll/runs', userId], fetcher);
  const { data: history } = useSWR(`/api/payroll/history/${userId}`, fetcher);
  return (
    <ul>
      {data?.map((slip) => (
        <li key={slip.id}>{slip.period}</li>
      ))}
      <li>{runs?.length} runs, {history?.length} past payslips</li>
    </ul>
  );
}
