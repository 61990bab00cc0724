/* Being written. */
#include "voice.h"
#include "voice_http.h"
#include "../base/banned.h"

void voice_public_http_register(void)
{
}
