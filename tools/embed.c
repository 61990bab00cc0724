/* Build tool: writes a C file that holds the given files as byte arrays,
 * so the one binary carries its templates, static files, migrations and
 * data. Usage: embed OUT.c ROOT FILE... (paths stored relative to ROOT). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: embed OUT.c ROOT FILE...\n");
		return 2;
	}
	FILE *out = fopen(argv[1], "w");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	size_t rootlen = strlen(argv[2]);
	fprintf(out, "#include \"base/embedded.h\"\n");
	for (int i = 3; i < argc; i++) {
		FILE *in = fopen(argv[i], "rb");
		if (!in) {
			perror(argv[i]);
			return 1;
		}
		fprintf(out, "static const unsigned char f%d[] = {", i);
		int c;
		size_t n = 0;
		while ((c = getc(in)) != EOF)
			fprintf(out, "%s%d,", n++ % 24 ? "" : "\n", c);
		fprintf(out, "0};\n");
		fclose(in);
	}
	fprintf(out, "const struct embedded_file embedded_files[] = {\n");
	for (int i = 3; i < argc; i++) {
		const char *rel = argv[i];
		if (strncmp(rel, argv[2], rootlen) == 0 && rel[rootlen] == '/')
			rel += rootlen + 1;
		fprintf(out, "{\"%s\", f%d, sizeof f%d - 1},\n", rel, i, i);
	}
	fprintf(out, "{0, 0, 0}};\n");
	return fclose(out) ? 1 : 0;
}
