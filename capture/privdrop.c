/* privdrop.c - drops root after the capture is open, as softflowd and
 * tcpdump -Z do (STYLE.md habit 16): setgroups, setgid, setuid in that
 * order (setuid first would leave no right to change groups), then a check
 * that setuid(0) fails. It opens nothing and reads no packets. */
#include "capture/privdrop.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static const struct passwd *lookup(const char *user, char *err, size_t errlen)
{
	const struct passwd *pw;

	errno = 0;
	pw = getpwnam(user);
	if (!pw)
		snprintf(err, errlen, "-Z %s: %s", user, errno ? strerror(errno) : "no such user");
	return pw;
}

int privdrop_chown(const char *path, const char *user, char *err, size_t errlen)
{
	const struct passwd *pw = lookup(user, err, errlen);

	if (!pw)
		return -1;
	if (chown(path, pw->pw_uid, pw->pw_gid) != 0) {
		snprintf(err, errlen, "%s: cannot give it to %s: %s", path, user, strerror(errno));
		return -1;
	}
	return 0;
}

int privdrop(const char *user, char *err, size_t errlen)
{
	const struct passwd *pw = lookup(user, err, errlen);

	if (!pw)
		return -1;
	uid_t uid = pw->pw_uid;
	gid_t gid = pw->pw_gid;
	if (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
		snprintf(err, errlen, "-Z %s: cannot drop privileges: %s", user, strerror(errno));
		return -1;
	}
	/* The drop must be for good: regaining root has to fail. */
	if (uid != 0 && setuid(0) == 0) {
		snprintf(err, errlen, "-Z %s: root could be regained after the drop", user);
		return -1;
	}
	return 0;
}
