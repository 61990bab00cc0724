/* Role keys as stored in user_roles.role, and their Vietnamese labels. The
 * order follows the bits of enum role in http.h. */
#include <stdio.h>
#include <string.h>
#include "http.h"
#include "../base/banned.h"

static const struct {
	enum role role;
	const char *key, *label;
} roles[ROLE_COUNT] = {
	{ROLE_CHAIR, "chair", "Chủ tịch"},
	{ROLE_VICE_CHAIR, "vice_chair", "Phó Chủ tịch"},
	{ROLE_OFFICE, "office", "Văn phòng – Thống kê"},
	{ROLE_UNIT_HEAD, "unit_head", "Trưởng bộ phận"},
	{ROLE_OFFICER, "officer", "Cán bộ, công chức"},
	{ROLE_FRONT, "front", "Mặt trận Tổ quốc"},
	{ROLE_INSPECTION, "inspection", "Ban Thanh tra nhân dân"},
	{ROLE_VILLAGE_HEAD, "village_head", "Trưởng thôn"},
	{ROLE_SURVEYOR, "surveyor", "Điều tra viên"},
	{ROLE_UPPER, "upper", "Cấp trên"},
};

const char *role_key(enum role r)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (roles[i].role == r)
			return roles[i].key;
	return "";
}

const char *role_label_vi(enum role r)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (roles[i].role == r)
			return roles[i].label;
	return "";
}

unsigned role_from_key(const char *key)
{
	if (!key)
		return 0;
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcmp(roles[i].key, key) == 0)
			return (unsigned)roles[i].role;
	return 0;
}

char *role_labels_vi(struct arena *a, unsigned bits)
{
	char buf[512];
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; i < ROLE_COUNT; i++) {
		if (!(bits & (unsigned)roles[i].role))
			continue;
		int w = snprintf(buf + n, sizeof buf - n, "%s%s", n ? ", " : "",
				 roles[i].label);
		if (w < 0 || (size_t)w >= sizeof buf - n)
			break;
		n += (size_t)w;
	}
	return arena_strdup(a, buf);
}
