import { Chip, type ChipProps } from '@mui/material';
import { useLocaleState } from 'react-admin';
import { CERTIFICATE_ORDER_STATUS_LABELS, type CertificateOrderStatus } from '../../../domain/certificates/certificate-order-status';

const COLORS: Record<CertificateOrderStatus, ChipProps['color']> = {
  pending_submission: 'default',
  pending_payment: 'warning',
  paid: 'info',
  auditing: 'info',
  issued: 'success',
  rejected: 'error',
  cancelled: 'default',
};

/** 证书订单状态 chip (labels from the domain's one state machine). data-status carries the code. */
export const OrderStatusChip = ({ status }: { status: CertificateOrderStatus }) => {
  const [locale] = useLocaleState();
  const label = CERTIFICATE_ORDER_STATUS_LABELS[status];
  return <Chip size="small" color={COLORS[status]} label={locale.startsWith('en') ? label.en : label.zh} data-testid="order-status" data-status={status} />;
};
