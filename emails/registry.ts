import type { FunctionComponent } from "react";
import type { TFunction } from "i18next";
import { DeferralNotice, Invite, Notification, ResetPassword, VerifyEmail, type DeferralNoticeProps, type InviteProps, type NotificationProps, type ResetPasswordProps, type VerifyEmailProps } from "./templates.tsx";

export interface EmailTemplateProps {
  "verify-email": VerifyEmailProps;
  "reset-password": ResetPasswordProps;
  invite: InviteProps;
  notification: NotificationProps;
  "deferral-notice": DeferralNoticeProps;
}
export type EmailTemplateName = keyof EmailTemplateProps;

type Entry<P> = { component: FunctionComponent<P & { t: TFunction; lang: string }>; subjectKey: string };

export const EMAIL_TEMPLATES: { [K in EmailTemplateName]: Entry<EmailTemplateProps[K]> } = {
  "verify-email": { component: VerifyEmail, subjectKey: "email.verify.subject" },
  "reset-password": { component: ResetPassword, subjectKey: "email.reset.subject" },
  invite: { component: Invite, subjectKey: "email.invite.subject" },
  notification: { component: Notification, subjectKey: "email.notification.subject" },
  "deferral-notice": { component: DeferralNotice, subjectKey: "email.deferralNotice.subject" },
};

export const isEmailTemplateName = (name: string): name is EmailTemplateName => name in EMAIL_TEMPLATES;
