import { Text } from "@react-email/components";
import type { TFunction } from "i18next";
import { EmailLayout } from "./components/layout.tsx";

interface Base {
  t: TFunction;
  lang: string;
}

export interface VerifyEmailProps {
  name: string;
  url: string;
}
export function VerifyEmail({ t, lang, name, url }: Base & VerifyEmailProps) {
  return (
    <EmailLayout lang={lang} preview={t("email.verify.subject")} greeting={t("email.greeting", { name })} actionLabel={t("email.verify.action")} actionUrl={url} footer={t("email.footer")}>
      <Text>{t("email.verify.text")}</Text>
    </EmailLayout>
  );
}
VerifyEmail.PreviewProps = { name: "张三", url: "http://localhost:3000/verify-email?token=preview" } satisfies VerifyEmailProps;

export interface ResetPasswordProps {
  name: string;
  url: string;
}
export function ResetPassword({ t, lang, name, url }: Base & ResetPasswordProps) {
  return (
    <EmailLayout lang={lang} preview={t("email.reset.subject")} greeting={t("email.greeting", { name })} actionLabel={t("email.reset.action")} actionUrl={url} footer={t("email.footer")}>
      <Text>{t("email.reset.text")}</Text>
    </EmailLayout>
  );
}
ResetPassword.PreviewProps = { name: "张三", url: "http://localhost:3000/reset-password?token=preview" } satisfies ResetPasswordProps;

export interface InviteProps {
  name: string;
  inviter: string;
  role: string;
  url: string;
}
export function Invite({ t, lang, name, inviter, role, url }: Base & InviteProps) {
  return (
    <EmailLayout lang={lang} preview={t("email.invite.subject")} greeting={t("email.greeting", { name })} actionLabel={t("email.invite.action")} actionUrl={url} footer={t("email.footer")}>
      <Text>{t("email.invite.text", { inviter, role: t(`roles.${role}`) })}</Text>
    </EmailLayout>
  );
}
Invite.PreviewProps = { name: "李四", inviter: "张三", role: "APPLICANT", url: "http://localhost:3000/invite?token=preview" } satisfies InviteProps;
