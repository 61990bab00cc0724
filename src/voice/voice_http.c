/* Being written. Staff pages of the voice capability (voice_http.h). */
#include "voice.h"
#include "voice_http.h"
#include "../base/banned.h"

void voice_staff_http_register(void)
{
}

void voice_http_register(void)
{
	voice_staff_http_register();
	voice_public_http_register();
	open311_http_register();
	reception_http_register();
}
