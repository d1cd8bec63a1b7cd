import { useTranslation } from "react-i18next";

interface StatusInput {
  active: boolean;
  invited: boolean;
  emailVerifiedAt: string | Date | null;
  lockedUntil: string | Date | null;
}

/** A user's account state in words and colour together. */
export function UserStatus({ user }: { user: StatusInput }) {
  const { t } = useTranslation();
  const locked = user.lockedUntil && new Date(user.lockedUntil) > new Date();
  const [tone, key] = !user.active
    ? ["grey", "company.statusInactive"]
    : locked
      ? ["red", "company.statusLocked"]
      : user.invited
        ? ["amber", "company.statusInvited"]
        : !user.emailVerifiedAt
          ? ["amber", "company.statusUnverified"]
          : ["green", "company.statusActive"];
  return <span className={`badge badge--${tone}`}>{t(key)}</span>;
}
